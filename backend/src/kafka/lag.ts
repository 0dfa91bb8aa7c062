import type { PartitionLag } from '@userstream/contracts';
import type { CommittedOffset, Watermarks } from './kafka-admin.repository.js';

/**
 * Messages a consumer has yet to read on a partition: the high watermark (the next offset to be written) minus
 * its position (the committed offset, or where it has fetched to). The one lag of the whole backend: the
 * consumer-groups API, the live stats, a run's drain and the processor's own check all count with it.
 *
 * With no position (`null`, or the -1 Kafka answers for a group that never committed) the lag is everything
 * still in the log, `high - low`: a consumer with nothing committed starts from the log start offset (the
 * processor subscribes from the beginning; retention has removed what lies before it), so that is exactly what
 * it has left to read, and what Kafka's own tools report for such a partition. Counting from 0 would add the
 * records retention already deleted, which nobody will ever read.
 *
 * A committed offset behind the log start (retention passed it) still counts from that offset, as Kafka's
 * tools do. Never negative: a committed offset can pass the high watermark after a truncation.
 */
export function partitionLag(position: number | null, low: number, high: number): number {
  return Math.max(0, position !== null && position >= 0 ? high - position : high - low);
}

/**
 * One group's per-partition lag on the given topics: each partition it committed on, plus the
 * `assigned` ones it has not committed on yet. Partitions of topics without watermarks (deleted since)
 * are left out.
 */
export function groupLag(
  committed: CommittedOffset[],
  watermarks: Map<string, Watermarks[]>,
  assigned: { topic: string; partitions: number[] }[] = [],
): PartitionLag[] {
  const byKey = new Map<string, CommittedOffset>();
  for (const entry of committed) {
    byKey.set(`${entry.topic}\u0000${entry.partition}`, entry);
  }
  for (const { topic, partitions } of assigned) {
    for (const partition of partitions) {
      const key = `${topic}\u0000${partition}`;
      if (!byKey.has(key)) {
        byKey.set(key, { topic, partition, offset: -1 });
      }
    }
  }
  const lags: PartitionLag[] = [];
  for (const { topic, partition, offset } of byKey.values()) {
    const marks = watermarks.get(topic)?.find((entry) => entry.partition === partition);
    if (!marks) {
      continue;
    }
    lags.push({
      topic,
      partition,
      committed: offset >= 0 ? offset : null,
      low: marks.low,
      high: marks.high,
      lag: partitionLag(offset, marks.low, marks.high),
    });
  }
  return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** The lag of several partitions: the sum of theirs. */
export const totalLag = (lags: readonly { lag: number }[]): number =>
  lags.reduce((sum, entry) => sum + entry.lag, 0);
