/** How a pipeline topic is replicated: from the settings when given, else from the number of brokers. */
export interface TopicReplication {
  replicationFactor: number;
  /** Absent: the broker's default (1). */
  minInsyncReplicas: number | undefined;
}

/** Settings the cluster cannot satisfy: boot stops with this message rather than create a weaker topic. */
export class ReplicationSettingsError extends Error {}

/**
 * min(3, brokers) copies by default, as Kafka's own production guidance; with three or more, a write needs two
 * in-sync replicas, so one broker may be lost without losing an acknowledged record or refusing writes.
 */
export function topicReplication(
  brokers: number,
  configured: { replicationFactor?: number; minInsyncReplicas?: number },
): TopicReplication {
  const replicationFactor = configured.replicationFactor ?? Math.min(3, brokers);
  if (replicationFactor > brokers) {
    throw new ReplicationSettingsError(
      `KAFKA_REPLICATION_FACTOR=${replicationFactor}, but the cluster has ${brokers} broker(s): ` +
        `lower it to ${brokers} or less, or add brokers`,
    );
  }
  const minInsyncReplicas = configured.minInsyncReplicas ?? (replicationFactor >= 3 ? 2 : undefined);
  if (minInsyncReplicas !== undefined && minInsyncReplicas > replicationFactor) {
    throw new ReplicationSettingsError(
      `KAFKA_MIN_INSYNC_REPLICAS=${minInsyncReplicas} exceeds the replication factor ${replicationFactor}: ` +
        'every write would be refused',
    );
  }
  return { replicationFactor, minInsyncReplicas };
}
