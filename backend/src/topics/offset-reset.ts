import type { OffsetResetPartition, OffsetResetTarget } from '@userstream/contracts';
import { TopicException, TopicExceptionCode, type Watermarks, partitionLag } from '#src/kafka/index.js';

/** A resolved target: what `OffsetResetTarget` says once a timestamp is looked up. */
export type ResolvedTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'timestamp'; offsets: Map<number, number> }
  | { kind: 'offset'; offset: number };

/** The timestamp of a target, when it has one: it needs a look-up on the broker before planning. */
export const timestampOf = (target: OffsetResetTarget): number | undefined =>
  typeof target === 'object' && 'timestamp' in target ? target.timestamp : undefined;

export function resolveTarget(
  target: OffsetResetTarget,
  byTimestamp: Map<number, number> = new Map(),
): ResolvedTarget {
  if (target === 'earliest' || target === 'latest') {
    return { kind: target };
  }
  if ('timestamp' in target) {
    return { kind: 'timestamp', offsets: byTimestamp };
  }
  return { kind: 'offset', offset: target.offset };
}

/**
 * The offset a partition moves to. A time with no record at or after it means the end of the log; an
 * offset the time look-up places outside the log is clamped into it (the log may have moved meanwhile).
 */
export function newOffset(target: ResolvedTarget, marks: Watermarks): number {
  switch (target.kind) {
    case 'earliest':
      return marks.low;
    case 'latest':
      return marks.high;
    case 'timestamp': {
      const found = target.offsets.get(marks.partition);
      return found === undefined || found < 0 ? marks.high : Math.min(Math.max(found, marks.low), marks.high);
    }
    case 'offset':
      return target.offset;
  }
}

/**
 * Per chosen partition: where the group is, where it would be, and the lag before and after. An exact
 * offset outside a partition's log `[low, high]` is refused (400 OFFSET_OUT_OF_RANGE), naming each.
 */
export function planReset(
  target: ResolvedTarget,
  watermarks: Watermarks[],
  committed: Map<number, number>,
): OffsetResetPartition[] {
  const plan = watermarks
    .map((marks) => {
      const before = committed.get(marks.partition) ?? -1;
      const after = newOffset(target, marks);
      return {
        partition: marks.partition,
        committed: before >= 0 ? before : null,
        newOffset: after,
        low: marks.low,
        high: marks.high,
        lag: partitionLag(before, marks.low, marks.high),
        newLag: partitionLag(after, marks.low, marks.high),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  const outside = plan.filter((entry) => entry.newOffset < entry.low || entry.newOffset > entry.high);
  if (outside.length > 0) {
    throw new TopicException(
      TopicExceptionCode.OFFSET_OUT_OF_RANGE,
      'the offset is outside the log of a partition',
      outside.map(({ partition, low, high }) => ({
        field: 'to.offset',
        message: `partition ${partition} holds offsets ${low} to ${high}`,
      })),
    );
  }
  return plan;
}
