import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from 'cassandra-driver';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { CASSANDRA } from '../cassandra/cassandra.module.js';
import { KAFKA } from '../kafka/kafka.client.js';

/** One real round trip to each store; each returns a short description of what answered. */
@Injectable()
export class HealthRepository {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CASSANDRA) private readonly cassandra: Client,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async pingKafka(): Promise<string> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      return `${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'none'}`;
    } finally {
      await admin.disconnect();
    }
  }

  async pingCassandra(): Promise<string> {
    const result = await this.cassandra.execute('SELECT release_version FROM system.local');
    return `release ${String(result.first()?.['release_version'])}`;
  }

  async pingPostgres(): Promise<string> {
    const rows: { version: string }[] = await this.dataSource.query('SELECT version() AS version');
    return rows[0]?.version.split(' ').slice(0, 2).join(' ') ?? 'unknown';
  }
}
