import type { PartitionLag } from '@userstream/contracts';
import type { CommittedOffset, Watermarks } from './topics.repository.js';

/**
 * Messages a group has yet to read on a partition: high watermark - committed offset; with nothing
 * committed (-1), everything still in the log (high - low). Never negative (a committed offset can pass
 * the high watermark after a truncation).
 */
export function partitionLag(committed: number, low: number, high: number): number {
  return Math.max(0, committed >= 0 ? high - committed : high - low);
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
  for (const entry of committed) byKey.set(`${entry.topic}\u0000${entry.partition}`, entry);
  for (const { topic, partitions } of assigned) {
    for (const partition of partitions) {
      const key = `${topic}\u0000${partition}`;
      if (!byKey.has(key)) byKey.set(key, { topic, partition, offset: -1 });
    }
  }
  const lags: PartitionLag[] = [];
  for (const { topic, partition, offset } of byKey.values()) {
    const marks = watermarks.get(topic)?.find((entry) => entry.partition === partition);
    if (!marks) continue;
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

export const totalLag = (lags: PartitionLag[]): number => lags.reduce((sum, entry) => sum + entry.lag, 0);
