import { Inject, Injectable } from '@nestjs/common';
import type { Client, Host, QueryOptions } from 'cassandra-driver';
import { CASSANDRA } from '#src/cassandra/index.js';
import { AppConfig } from '#src/config/index.js';
import type { DriverHost, NodeFacts } from './cluster-view.js';
import { type ClusterMetadata, fetchClusterMetadata } from './kafka-metadata.client.js';

export interface BrokerAddress {
  host: string;
  port: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `host:port`, the port after the last colon (an IPv6 host keeps its own). */
export function parseBrokerAddress(address: string): BrokerAddress | null {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0) {
    return null;
  }
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

/** The state of both clusters, each call bounded in time: a dead node costs a timeout, never a hang. */
@Injectable()
export class ClusterRepository {
  constructor(
    @Inject(CASSANDRA) private readonly cassandra: Client,
    private readonly config: AppConfig,
  ) {}

  /**
   * The cluster metadata from whichever broker answers first, asking the configured bootstrap brokers and
   * `alsoAsk` (brokers seen alive before) at once; rejects, naming each failure, when none answers in time.
   */
  async kafkaMetadata(alsoAsk: BrokerAddress[], timeoutMs: number): Promise<ClusterMetadata> {
    const addresses = new Map<string, BrokerAddress>();
    for (const address of [
      ...this.config.kafka.brokers.flatMap((entry) => parseBrokerAddress(entry) ?? []),
      ...alsoAsk,
    ]) {
      addresses.set(`${address.host}:${address.port}`, address);
    }
    const clientId = this.config.kafka.clientId;
    try {
      return await Promise.any(
        [...addresses.values()].map((broker) =>
          fetchClusterMetadata(broker, { clientId, timeoutMs }).catch((error: unknown) => {
            throw new Error(`${broker.host}:${broker.port}: ${message(error)}`);
          }),
        ),
      );
    } catch (error) {
      throw new Error(
        error instanceof AggregateError ? error.errors.map(message).join('; ') : message(error),
      );
    }
  }

  /** Every node the driver knows of, up or down (it follows the ring through its control connection). */
  cassandraHosts(): DriverHost[] {
    return this.cassandra.hosts.values().map((host) => ({
      address: host.address,
      hostId: host.hostId ? host.hostId.toString() : null,
      dataCenter: host.datacenter ?? null,
      rack: host.rack ?? null,
      up: host.isUp(),
      releaseVersion: host.cassandraVersion ?? null,
      tokens: host.tokens ? host.tokens.length : null,
    }));
  }

  /**
   * Schema version, release and load of every node, from one coordinator's system tables: `system.local` and
   * `system.peers_v2` for schema versions, `system_views.gossip_info` (Cassandra 4.1+) for the load each node
   * gossips. All three go to the same node, so they describe the ring as that node sees it. A missing
   * gossip_info only leaves the load unknown.
   */
  async cassandraNodeFacts(timeoutMs: number): Promise<NodeFacts[]> {
    const coordinator = this.coordinator();
    if (!coordinator) {
      throw new Error('the driver holds no connection to any Cassandra node');
    }
    const options: QueryOptions = {
      host: coordinator,
      prepare: true,
      isIdempotent: true,
      readTimeout: timeoutMs,
    };
    const columns = 'host_id, schema_version, release_version';
    const [local, peers, loads] = await Promise.all([
      this.cassandra.execute(`SELECT ${columns} FROM system.local`, [], options),
      this.cassandra.execute(`SELECT ${columns} FROM system.peers_v2`, [], options),
      this.cassandra
        .execute('SELECT host_id, load FROM system_views.gossip_info', [], options)
        .then(
          (result) =>
            new Map(
              result.rows.map((row) => {
                const load = row['load'] as string | null;
                return [String(row['host_id']), load === null ? Number.NaN : Number(load)];
              }),
            ),
        )
        .catch(() => new Map<string, number>()),
    ]);
    return [...local.rows, ...peers.rows].flatMap((row) => {
      const hostId = row['host_id'] as { toString(): string } | null;
      if (!hostId) {
        return [];
      }
      const id = hostId.toString();
      const load = loads.get(id);
      return [
        {
          hostId: id,
          schemaVersion: (row['schema_version'] as { toString(): string } | null)?.toString() ?? null,
          releaseVersion: (row['release_version'] as string | null) ?? null,
          load: load === undefined || !Number.isFinite(load) ? null : Math.round(load),
        },
      ];
    });
  }

  /** A node the driver is connected to, one of the local data center first. */
  private coordinator(): Host | undefined {
    const connected = this.cassandra
      .getState()
      .getConnectedHosts()
      .filter((host) => host.isUp());
    const local = this.config.cassandra.localDataCenter;
    return connected.find((host) => host.datacenter === local) ?? connected[0];
  }
}
