import { int32, Reader, requestFrame, roundTrip } from '#src/kafka/index.js';

/**
 * The cluster's metadata (brokers, controller, every topic's partitions) as the brokers state it, problems
 * included. kafkajs 2.2.4 cannot report a sick cluster: its metadata call throws as soon as one partition
 * carries an error (LEADER_NOT_AVAILABLE for a partition without a leader), which is exactly what the cluster
 * view must show. This speaks Metadata (API key 3) version 5, the first with offline replicas and the newest
 * without the "flexible" encoding, over one connection (see kafka-wire). Used by ClusterRepository only.
 */

const API_KEY = 3;
const API_VERSION = 5;

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partition: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  internal: boolean;
  partitions: MetadataPartition[];
}

export interface ClusterMetadata {
  /** Brokers registered and alive: a broker that stopped answering is no longer listed. */
  brokers: MetadataBroker[];
  clusterId: string | null;
  /** -1 when unknown. */
  controllerId: number;
  topics: MetadataTopic[];
}

/** Asks for every topic (a null array), never creating one. */
export function encodeMetadataRequest(correlationId: number, clientId: string): Buffer {
  return requestFrame(
    API_KEY,
    API_VERSION,
    correlationId,
    clientId,
    Buffer.concat([int32(-1), Buffer.from([0])]),
  );
}

/** `payload` is the response frame without its size prefix. */
export function decodeMetadataResponse(payload: Buffer): {
  correlationId: number;
  metadata: ClusterMetadata;
} {
  const reader = new Reader(payload);
  const correlationId = reader.int32();
  reader.int32(); // throttle_time_ms
  const brokers = reader.array(() => ({
    nodeId: reader.int32(),
    host: reader.string(),
    port: reader.int32(),
    rack: reader.nullableString(),
  }));
  const clusterId = reader.nullableString();
  const controllerId = reader.int32();
  const ids = () => reader.array(() => reader.int32());
  const topics = reader.array(() => ({
    errorCode: reader.int16(),
    name: reader.string(),
    internal: reader.boolean(),
    partitions: reader.array(() => ({
      errorCode: reader.int16(),
      partition: reader.int32(),
      leader: reader.int32(),
      replicas: ids(),
      isr: ids(),
      offlineReplicas: ids(),
    })),
  }));
  return { correlationId, metadata: { brokers, clusterId, controllerId, topics } };
}

/** One Metadata round trip with one broker; rejects on timeout or a closed connection. */
export async function fetchClusterMetadata(
  broker: { host: string; port: number },
  { clientId, timeoutMs }: { clientId: string; timeoutMs: number },
): Promise<ClusterMetadata> {
  const correlationId = 1;
  const payload = await roundTrip(broker, encodeMetadataRequest(correlationId, clientId), {
    timeoutMs,
    what: 'Metadata',
  });
  const response = decodeMetadataResponse(payload);
  if (response.correlationId !== correlationId) {
    throw new Error('Metadata: correlation id mismatch');
  }
  return response.metadata;
}
