import { z } from 'zod';
import { GroupState, PartitionLag } from './topics.js';

export const NodeState = z.enum(['up', 'down']);
export type NodeState = z.infer<typeof NodeState>;

/**
 * One Kafka broker. A broker that stopped answering drops out of the cluster's metadata; it is still listed,
 * `down`, when a partition names it as a replica or this API saw it before (its address is null if neither
 * this API nor the metadata knows it).
 */
export const KafkaBrokerStatus = z.object({
  id: z.number(),
  host: z.string().nullable(),
  port: z.number().nullable(),
  rack: z.string().nullable(),
  state: NodeState,
  /** The broker the metadata names as controller (under KRaft: the one forwarding admin requests to the quorum). */
  isController: z.boolean(),
  partitionsLed: z.number(),
  /** Partition replicas assigned to it, led or followed. */
  replicas: z.number(),
  /** Partitions it leads with fewer in-sync replicas than replicas (Kafka's own UnderReplicatedPartitions). */
  underReplicatedPartitions: z.number(),
  /** Its replicas missing from their partition's in-sync set: every one of them when the broker is lost. */
  outOfSyncReplicas: z.number(),
  /** Partitions with a replica on it and no leader at all. */
  offlinePartitions: z.number(),
});
export type KafkaBrokerStatus = z.infer<typeof KafkaBrokerStatus>;

export const KafkaClusterStatus = z.object({
  clusterId: z.string().nullable(),
  controllerId: z.number().nullable(),
  brokers: z.array(KafkaBrokerStatus),
  topics: z.number(),
  partitions: z.number(),
  underReplicatedPartitions: z.number(),
  offlinePartitions: z.number(),
  /** Set when no broker answered in time: the brokers listed are the ones seen before, all `down`. */
  error: z.string().nullable(),
});
export type KafkaClusterStatus = z.infer<typeof KafkaClusterStatus>;

export const CassandraNodeStatus = z.object({
  /** The native-protocol address (host:port) the driver connects to. */
  address: z.string(),
  hostId: z.string().nullable(),
  dataCenter: z.string().nullable(),
  rack: z.string().nullable(),
  state: NodeState,
  /** Bytes of data on disk, as the node last gossiped it (`system_views.gossip_info`); null when unknown. */
  load: z.number().nullable(),
  schemaVersion: z.string().nullable(),
  releaseVersion: z.string().nullable(),
  /** Tokens the node owns on the ring. */
  tokens: z.number().nullable(),
});
export type CassandraNodeStatus = z.infer<typeof CassandraNodeStatus>;

export const CassandraClusterStatus = z.object({
  localDataCenter: z.string(),
  nodes: z.array(CassandraNodeStatus),
  /** Every node that is up reports the same schema version; null when the versions could not be read. */
  schemaAgreement: z.boolean().nullable(),
  /** Set when the system tables could not be read in time (states still come from the driver). */
  error: z.string().nullable(),
});
export type CassandraClusterStatus = z.infer<typeof CassandraClusterStatus>;

/** GET /api/cluster: the brokers and Cassandra nodes, and in words what an operator should look at. */
export const ClusterStatus = z.object({
  checkedAt: z.string(),
  kafka: KafkaClusterStatus,
  cassandra: CassandraClusterStatus,
  /** Lost nodes, under-replicated or offline partitions, schema disagreement; empty when all is well. */
  problems: z.array(z.string()),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;

/** One member of the processors' consumer group: the partitions it owns, with the group's lag on each. */
export const ProcessorMember = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  partitions: z.array(PartitionLag),
  lag: z.number(),
});
export type ProcessorMember = z.infer<typeof ProcessorMember>;

/** GET /api/processors: who processes which partitions of the pipeline's input topics, and how far behind. */
export const ProcessorsStatus = z.object({
  groupId: z.string(),
  state: GroupState,
  members: z.array(ProcessorMember),
  /** Partitions the group committed on that no member owns (no processor running, or a rebalance under way). */
  unassigned: z.array(PartitionLag),
  totalLag: z.number(),
});
export type ProcessorsStatus = z.infer<typeof ProcessorsStatus>;
