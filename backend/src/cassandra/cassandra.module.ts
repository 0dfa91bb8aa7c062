import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'cassandra-driver';
import { AppConfig } from '../config/app-config.js';
import { CassandraMigrator } from './cassandra-migrator.js';

export const CASSANDRA = Symbol('CASSANDRA');

/** Connects, applies pending CQL migrations, and returns a client bound to the keyspace. */
export async function connectCassandra(config: AppConfig): Promise<Client> {
  const { contactPoints, localDataCenter, keyspace } = config.cassandra;
  const options = {
    contactPoints,
    localDataCenter,
    pooling: { coreConnectionsPerHost: { 0: 2, 1: 1, 2: 0 } },
    socketOptions: { readTimeout: 20_000 },
  };
  const admin = new Client(options);
  try {
    await new CassandraMigrator(admin, config.cassandra).migrate();
  } finally {
    await admin.shutdown();
  }
  const client = new Client({ ...options, keyspace });
  await client.connect();
  return client;
}

@Injectable()
class CassandraShutdown implements OnApplicationShutdown {
  constructor(@Inject(CASSANDRA) private readonly client: Client) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.shutdown();
  }
}

@Global()
@Module({
  providers: [{ provide: CASSANDRA, inject: [AppConfig], useFactory: connectCassandra }, CassandraShutdown],
  exports: [CASSANDRA],
})
export class CassandraModule {}
