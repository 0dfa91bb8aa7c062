import type { BrowseDirection } from '@userstream/contracts';
import type { Watermarks, PartitionRange, RawMessage } from '#src/kafka/index.js';

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

/**
 * Which offsets to read on each partition for at most `limit` messages. `forward` starts at `offset`, else
 * at `boundary` (the first offset at or after the asked timestamp), else at the start; `newest` ends at
 * `offset` (inclusive), else before `boundary` (the first offset after the asked timestamp), else at the
 * end. Offsets outside the partition are clamped to it; empty ranges are left out.
 */
export function planRanges(
  partitions: Watermarks[],
  { direction, offset, limit }: { direction: BrowseDirection; offset?: number; limit: number },
  boundary?: Map<number, number>,
): PartitionRange[] {
  return partitions
    .map(({ partition, low, high }) => {
      const at = boundary?.get(partition);
      if (direction === 'forward') {
        const start = clamp(offset ?? at ?? low, low, high);
        return { partition, start, end: Math.min(high, start + limit) };
      }
      const end = clamp(offset === undefined ? (at ?? high) : offset + 1, low, high);
      return { partition, start: Math.max(low, end - limit), end };
    })
    .filter((range) => range.end > range.start);
}

/**
 * Orders what was read and keeps the first `limit`: by offset within one partition, by timestamp across
 * partitions (then partition and offset, so the order is total); newest first unless `forward`.
 */
export function orderMessages(
  messages: RawMessage[],
  direction: BrowseDirection,
  limit: number,
): RawMessage[] {
  const onePartition = new Set(messages.map((message) => message.partition)).size <= 1;
  const ascending = (a: RawMessage, b: RawMessage) =>
    onePartition
      ? a.offset - b.offset
      : a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset;
  const sorted = [...messages].sort(direction === 'forward' ? ascending : (a, b) => ascending(b, a));
  return sorted.slice(0, limit);
}
