import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, ExecutionProfile, policies, types } from 'cassandra-driver';
import { AppConfig, type ConsistencyName } from '#src/config/index.js';
import { migrateCassandra } from './cassandra-migrator.js';
import type { KeyspaceReplication } from './keyspace-replication.js';

export const CASSANDRA = Symbol('CASSANDRA');
/** The product's `KeyspaceReplication`, as sized at boot: other keyspaces it creates get the same. */
export const CASSANDRA_REPLICATION = Symbol('CASSANDRA_REPLICATION');
const CONNECTION = Symbol('CASSANDRA_CONNECTION');

/** The execution profile of every write (its consistency level); reads take the client's default. */
export const WRITE_PROFILE = 'write';

const consistency = (name: ConsistencyName): number =>
  types.consistencies[name.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()) as 'localQuorum'];

/**
 * Where the driver finds the ring. It reaches the nodes it discovers (all but the contact points) on
 * `protocolOptions.port`, 9042 unless told: on a ring listening elsewhere (the test stack's 19042) it would talk
 * to whatever answers on 9042 of those addresses. The contact points' own port, when they share one, is the port.
 */
export function reachRing({ contactPoints, localDataCenter }: AppConfig['cassandra']) {
  const ports = new Set(contactPoints.map((point) => /:(\d+)$/.exec(point)?.[1] ?? '9042'));
  return {
    contactPoints,
    localDataCenter,
    protocolOptions: { port: ports.size === 1 ? Number([...ports][0]) : 9042 },
  };
}

/**
 * Connects, sizes the replication from the ring (or the settings), applies pending CQL migrations, and returns
 * a client bound to the keyspace whose reads and writes ask for the consistency that replication calls for.
 */
export async function connectCassandra(
  config: AppConfig,
): Promise<{ client: Client; replication: KeyspaceReplication }> {
  const { keyspace } = config.cassandra;
  const options = {
    ...reachRing(config.cassandra),
    pooling: { coreConnectionsPerHost: { 0: 2, 1: 1, 2: 0 } },
    socketOptions: { readTimeout: 20_000 },
    // the driver's default waits 1, 2, 4 ... up to 600 s between attempts: after a 30 s outage the pipeline
    // would sit idle a minute or more once Cassandra is back. A connection attempt every 2 s costs nothing.
    policies: { reconnection: new policies.reconnection.ExponentialReconnectionPolicy(250, 2_000, false) },
  };
  const admin = new Client(options);
  let replication: KeyspaceReplication;
  try {
    ({ replication } = await migrateCassandra(admin, config.cassandra));
  } finally {
    await admin.shutdown();
  }
  const client = new Client({
    ...options,
    keyspace,
    profiles: [
      new ExecutionProfile('default', { consistency: consistency(replication.readConsistency) }),
      new ExecutionProfile(WRITE_PROFILE, { consistency: consistency(replication.writeConsistency) }),
    ],
  });
  await client.connect();
  return { client, replication };
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
  providers: [
    { provide: CONNECTION, inject: [AppConfig], useFactory: connectCassandra },
    {
      provide: CASSANDRA,
      inject: [CONNECTION],
      useFactory: (connection: { client: Client }) => connection.client,
    },
    {
      provide: CASSANDRA_REPLICATION,
      inject: [CONNECTION],
      useFactory: (connection: { replication: KeyspaceReplication }) => connection.replication,
    },
    CassandraShutdown,
  ],
  exports: [CASSANDRA, CASSANDRA_REPLICATION],
})
export class CassandraModule {}
