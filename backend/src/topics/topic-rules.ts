import { TOPIC_CONFIG_KEYS, type TopicConfigPatch } from '@userstream/contracts';
import { type ConfigEntry, TopicException, TopicExceptionCode } from '#src/kafka/index.js';

/**
 * Partition replicas a broker is sized for: Confluent's guidance for a broker (the cluster's "means").
 * Kafka itself sets no limit and would accept far more, at the cost of slow recovery and open files.
 */
export const MAX_REPLICAS_PER_BROKER = 4_000;

/** Kafka's own topics (`__consumer_offsets`, `__transaction_state`, `__share_group_state`...). */
export const isInternalTopic = (name: string): boolean => name.startsWith('__');

export const isEditableConfig = (name: string): boolean =>
  (TOPIC_CONFIG_KEYS as readonly string[]).includes(name);

/** Kafka treats `.` and `_` alike in metric names, so it refuses a topic whose name differs only by them. */
export const collisionKey = (name: string): string => name.replaceAll('.', '_');

/** Case-insensitive substring search, sorted by name, then one page. */
export function searchAndPage<T>(
  items: T[],
  nameOf: (item: T) => string,
  { search, page, pageSize }: { search?: string; page: number; pageSize: number },
): { items: T[]; total: number } {
  const needle = search?.toLowerCase();
  const matching = items
    .filter((item) => !needle || nameOf(item).toLowerCase().includes(needle))
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  return { items: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length };
}

/**
 * The complete set of topic overrides after a patch: the current overrides (settings whose source is the
 * topic itself, allow-listed or not), with the patch's values set and its nulls removed.
 */
export function applyConfigPatch(current: ConfigEntry[], patch: TopicConfigPatch): Record<string, string> {
  const overrides = current.filter((entry) => entry.source === 'topic');
  const hidden = overrides.find((entry) => entry.value === null);
  if (hidden) {
    // the full set must be sent back, and Kafka never reveals a sensitive value
    throw new TopicException(
      TopicExceptionCode.INVALID_CONFIG,
      `the topic has a sensitive override (${hidden.name}) that this API cannot carry over; change it with Kafka's tools`,
    );
  }
  const next = new Map(overrides.map((entry) => [entry.name, entry.value ?? '']));
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) {
      next.delete(name);
    } else if (value !== undefined) {
      next.set(name, value);
    }
  }
  return Object.fromEntries(next);
}

/** Rules across settings that zod cannot see: `min.insync.replicas` above the replica count blocks acks=all writes. */
export function checkConfigsFit(
  configs: Record<string, string | null | undefined>,
  replicationFactor: number,
): void {
  const minIsr = configs['min.insync.replicas'];
  if (typeof minIsr === 'string' && Number(minIsr) > replicationFactor) {
    throw new TopicException(
      TopicExceptionCode.INVALID_CONFIG,
      `min.insync.replicas (${minIsr}) cannot exceed the replication factor (${replicationFactor})`,
      [{ field: 'configs.min.insync.replicas', message: `at most ${replicationFactor}` }],
    );
  }
}

/** Refuses a change that would put more partition replicas on the cluster than its brokers are sized for. */
export function checkCapacity(
  load: { brokers: number; replicas: number | null },
  addedReplicas: number,
): void {
  if (load.replicas === null) {
    return;
  } // unknown right now: the broker decides
  const capacity = load.brokers * MAX_REPLICAS_PER_BROKER;
  if (load.replicas + addedReplicas <= capacity) {
    return;
  }
  throw new TopicException(
    TopicExceptionCode.INVALID_PARTITIONS,
    `the cluster holds ${load.replicas} partition replicas on ${load.brokers} broker(s); ${addedReplicas} more ` +
      `would pass the ${capacity} it is sized for (${MAX_REPLICAS_PER_BROKER} per broker)`,
    [
      {
        field: 'partitions',
        message: `at most ${Math.max(0, capacity - load.replicas)} more partition replicas`,
      },
    ],
  );
}
