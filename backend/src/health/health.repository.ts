import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from 'cassandra-driver';
import type { DataSource } from 'typeorm';
import { CASSANDRA } from '#src/cassandra/index.js';

/** One real round trip to Cassandra and to PostgreSQL, each answering with a short description (Kafka: KafkaAdminRepository). */
@Injectable()
export class HealthRepository {
  constructor(
    @Inject(CASSANDRA) private readonly cassandra: Client,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async pingCassandra(): Promise<string> {
    const result = await this.cassandra.execute('SELECT release_version FROM system.local');
    return `release ${String(result.first()?.['release_version'])}`;
  }

  async pingPostgres(): Promise<string> {
    const rows: { version: string }[] = await this.dataSource.query('SELECT version() AS version');
    return rows[0]?.version.split(' ').slice(0, 2).join(' ') ?? 'unknown';
  }
}
