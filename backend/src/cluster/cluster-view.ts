import type {
  CassandraClusterStatus,
  CassandraNodeStatus,
  KafkaBrokerStatus,
  KafkaClusterStatus,
} from '@userstream/contracts';
import type { ClusterMetadata, MetadataBroker } from './kafka-metadata.client.js';

/** Where a broker was last seen answering: kept so a lost one is still shown with its address. */
export type KnownBroker = Omit<MetadataBroker, 'nodeId'>;

/**
 * Brokers and partition health from the cluster metadata. A broker missing from the live list but named as a
 * replica, or seen before (`known`), is lost: shown `down`. Without metadata (no broker answered), every known
 * broker is shown `down` with the error.
 */
export function kafkaStatus(
  metadata: ClusterMetadata | null,
  known: ReadonlyMap<number, KnownBroker>,
  error: string | null = null,
): KafkaClusterStatus {
  const live = new Map((metadata?.brokers ?? []).map(({ nodeId, ...broker }) => [nodeId, broker]));
  const partitions = (metadata?.topics ?? []).flatMap((topic) => topic.partitions);
  const ids = new Set<number>([...live.keys(), ...known.keys()]);
  for (const partition of partitions) {
    for (const id of partition.replicas) {
      ids.add(id);
    }
  }
  const controllerId = metadata && metadata.controllerId >= 0 ? metadata.controllerId : null;

  const brokers = new Map<number, KafkaBrokerStatus>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const address = live.get(id) ?? known.get(id);
    brokers.set(id, {
      id,
      host: address?.host ?? null,
      port: address?.port ?? null,
      rack: address?.rack ?? null,
      state: live.has(id) ? 'up' : 'down',
      isController: id === controllerId,
      partitionsLed: 0,
      replicas: 0,
      underReplicatedPartitions: 0,
      outOfSyncReplicas: 0,
      offlinePartitions: 0,
    });
  }

  let underReplicated = 0;
  let offline = 0;
  for (const { leader, replicas, isr } of partitions) {
    const isUnderReplicated = isr.length < replicas.length;
    // a leader the metadata still names but that is not alive serves nothing either
    const isOffline = leader < 0 || !live.has(leader);
    if (isUnderReplicated) {
      underReplicated += 1;
    }
    if (isOffline) {
      offline += 1;
    }
    const leaderStatus = brokers.get(leader);
    if (leaderStatus && !isOffline) {
      leaderStatus.partitionsLed += 1;
      if (isUnderReplicated) {
        leaderStatus.underReplicatedPartitions += 1;
      }
    }
    for (const id of replicas) {
      const broker = brokers.get(id);
      if (!broker) {
        continue;
      }
      broker.replicas += 1;
      if (!isr.includes(id)) {
        broker.outOfSyncReplicas += 1;
      }
      if (isOffline) {
        broker.offlinePartitions += 1;
      }
    }
  }

  return {
    clusterId: metadata?.clusterId ?? null,
    controllerId,
    brokers: [...brokers.values()],
    topics: metadata?.topics.length ?? 0,
    partitions: partitions.length,
    underReplicatedPartitions: underReplicated,
    offlinePartitions: offline,
    error,
  };
}

/** A node as the driver knows it: its address, place in the ring and whether it is up. */
export interface DriverHost {
  address: string;
  hostId: string | null;
  dataCenter: string | null;
  rack: string | null;
  up: boolean;
  releaseVersion: string | null;
  tokens: number | null;
}

/** What the system tables say of one node (system.local / system.peers_v2, system_views.gossip_info). */
export interface NodeFacts {
  hostId: string;
  schemaVersion: string | null;
  releaseVersion: string | null;
  /** Bytes. */
  load: number | null;
}

/**
 * Nodes from the driver's view of the ring (up or down), with each one's schema version and load from the system
 * tables of one coordinator (`facts`, by host id; empty when they could not be read). Schema agreement: every
 * node that is up reports the same version; null when no up node's version is known.
 */
export function cassandraStatus(
  localDataCenter: string,
  hosts: DriverHost[],
  facts: NodeFacts[],
  error: string | null = null,
): CassandraClusterStatus {
  const byId = new Map(facts.map((entry) => [entry.hostId, entry]));
  const nodes: CassandraNodeStatus[] = hosts
    .map((host) => {
      const known = host.hostId === null ? undefined : byId.get(host.hostId);
      return {
        address: host.address,
        hostId: host.hostId,
        dataCenter: host.dataCenter,
        rack: host.rack,
        state: host.up ? ('up' as const) : ('down' as const),
        load: known?.load ?? null,
        schemaVersion: known?.schemaVersion ?? null,
        releaseVersion: known?.releaseVersion ?? host.releaseVersion,
        tokens: host.tokens,
      };
    })
    .sort(
      (a, b) =>
        (a.dataCenter ?? '').localeCompare(b.dataCenter ?? '') ||
        a.address.localeCompare(b.address, undefined, { numeric: true }),
    );
  const versions = nodes.filter((node) => node.state === 'up').map((node) => node.schemaVersion);
  const knownVersions = new Set(versions.filter((version) => version !== null));
  return {
    localDataCenter,
    nodes,
    schemaAgreement: knownVersions.size === 0 ? null : knownVersions.size === 1,
    error,
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What an operator should look at, worst first, in words the banner shows. */
export function clusterProblems(kafka: KafkaClusterStatus, cassandra: CassandraClusterStatus): string[] {
  const problems: string[] = [];
  if (kafka.error) {
    problems.push(`Kafka did not answer: ${kafka.error}`);
  }
  for (const broker of kafka.brokers.filter((entry) => entry.state === 'down')) {
    const address = broker.host === null ? '' : ` (${broker.host}:${broker.port})`;
    problems.push(`Kafka broker ${broker.id}${address} is down`);
  }
  if (kafka.offlinePartitions > 0) {
    problems.push(
      `${plural(kafka.offlinePartitions, 'Kafka partition is', 'Kafka partitions are')} offline (no leader)`,
    );
  }
  if (kafka.underReplicatedPartitions > 0) {
    problems.push(
      `${plural(kafka.underReplicatedPartitions, 'Kafka partition is', 'Kafka partitions are')} under-replicated`,
    );
  }
  if (cassandra.error) {
    problems.push(`Cassandra system tables unreadable: ${cassandra.error}`);
  }
  for (const node of cassandra.nodes.filter((entry) => entry.state === 'down')) {
    problems.push(`Cassandra node ${node.address}${node.dataCenter ? ` (${node.dataCenter})` : ''} is down`);
  }
  if (cassandra.schemaAgreement === false) {
    const versions = new Set(
      cassandra.nodes.flatMap((node) =>
        node.state === 'up' && node.schemaVersion ? [node.schemaVersion] : [],
      ),
    );
    problems.push(`Cassandra nodes disagree on the schema (${versions.size} versions)`);
  }
  return problems;
}
