import { type BrowseDirection, SearchPartitionProgress } from '@userstream/contracts';
import { z } from 'zod';
import type { Watermarks, PartitionRange, RawMessage } from '#src/kafka/index.js';

/**
 * Where a search stands on each partition. `forward` scans offsets upwards from `start`, `position` being the
 * next to read, until `end` (the high watermark when it started); `newest` scans downwards, `position` being
 * the first offset already scanned (exclusive top of what is left), until `end` (the low watermark).
 */
export const SearchState = z.object({
  direction: z.enum(['forward', 'newest']),
  partitions: z.array(SearchPartitionProgress.omit({ done: true })).min(1),
});
export type SearchState = z.infer<typeof SearchState>;
type PartitionState = SearchState['partitions'][number];

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

export const isDone = ({ position, end }: PartitionState, direction: BrowseDirection): boolean =>
  direction === 'forward' ? position >= end : position <= end;

/** Offsets left to scan on a partition. */
const remainingOf = ({ position, end }: PartitionState) => Math.abs(end - position);

/**
 * The start of a search on each partition: from `offset` (inclusive), else `boundary` (per partition, from a
 * timestamp), else the beginning (`forward`) or the end (`newest`); clamped to what the partition holds.
 */
export function initialState(
  partitions: Watermarks[],
  { direction, offset }: { direction: BrowseDirection; offset?: number },
  boundary?: Map<number, number>,
): SearchState {
  return {
    direction,
    partitions: partitions.map(({ partition, low, high }) => {
      const at = boundary?.get(partition);
      const start =
        direction === 'forward'
          ? clamp(offset ?? at ?? low, low, high)
          : clamp(offset === undefined ? (at ?? high) : offset + 1, low, high);
      return { partition, start, position: start, end: direction === 'forward' ? high : low };
    }),
  };
}

/** Splits a budget over what is left on each partition as evenly as it goes (no partition gets more than it has). */
export function allocate(remaining: number[], budget: number): number[] {
  const shares = remaining.map(() => 0);
  let left = budget;
  let open = remaining.map((_, index) => index).filter((index) => (remaining[index] ?? 0) > 0);
  while (left > 0 && open.length > 0) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const index of open) {
      if (left === 0) {
        break;
      }
      const give = Math.min(each, (remaining[index] ?? 0) - (shares[index] ?? 0), left);
      shares[index] = (shares[index] ?? 0) + give;
      left -= give;
    }
    open = open.filter((index) => (shares[index] ?? 0) < (remaining[index] ?? 0));
  }
  return shares;
}

/**
 * The offsets one call reads: the budget split over the partitions not done. Records removed by retention
 * since the search started are passed over: positions below the current low watermark move up to it.
 */
export function planChunks(
  state: SearchState,
  budget: number,
  watermarks: Map<number, Watermarks>,
): { state: SearchState; chunks: PartitionRange[] } {
  const forward = state.direction === 'forward';
  const partitions = state.partitions.map((part) => {
    const low = watermarks.get(part.partition)?.low ?? 0;
    if (forward) {
      return { ...part, position: Math.max(part.position, Math.min(low, part.end)) };
    }
    return { ...part, end: Math.max(part.end, Math.min(low, part.position)) };
  });
  const shares = allocate(
    partitions.map((part) => (isDone(part, state.direction) ? 0 : remainingOf(part))),
    budget,
  );
  const chunks = partitions.flatMap((part, index) => {
    const share = shares[index] ?? 0;
    if (share === 0) {
      return [];
    }
    return forward
      ? [{ partition: part.partition, start: part.position, end: part.position + share }]
      : [{ partition: part.partition, start: part.position - share, end: part.position }];
  });
  return { state: { ...state, partitions }, chunks };
}

/**
 * The state after a call read `chunks` up to `reached` (per partition, the first offset not read). Forward,
 * a partition moves to where reading stopped; newest first, only a chunk read whole counts (its lower part
 * alone would leave a gap), so `complete` says which partitions moved.
 */
export function advance(
  state: SearchState,
  chunks: PartitionRange[],
  reached: Map<number, number>,
): { state: SearchState; complete: Set<number> } {
  const byPartition = new Map(chunks.map((chunk) => [chunk.partition, chunk]));
  const complete = new Set<number>();
  const partitions = state.partitions.map((part) => {
    const chunk = byPartition.get(part.partition);
    if (!chunk) {
      return part;
    }
    const upTo = reached.get(part.partition) ?? chunk.start;
    if (upTo >= chunk.end) {
      complete.add(part.partition);
    }
    if (state.direction === 'forward') {
      return { ...part, position: Math.max(part.position, upTo) };
    }
    return upTo >= chunk.end ? { ...part, position: chunk.start } : part;
  });
  return { state: { ...state, partitions }, complete };
}

/**
 * Keeps at most `max` matches and moves each partition back to its first match left out, so the next call
 * finds it again. Partitions are merged by time (oldest or newest first), each taken in its own scan order:
 * what is kept on a partition is always everything matched before that point, so nothing is skipped and
 * nothing returned twice, even when timestamps within a partition are out of order.
 */
export function trimMatches(
  matches: RawMessage[],
  state: SearchState,
  max: number,
): { kept: RawMessage[]; state: SearchState; trimmed: boolean } {
  const forward = state.direction === 'forward';
  const queues = new Map<number, RawMessage[]>();
  for (const message of matches) {
    queues.set(message.partition, [...(queues.get(message.partition) ?? []), message]);
  }
  for (const queue of queues.values()) {
    queue.sort((a, b) => (forward ? a.offset - b.offset : b.offset - a.offset));
  }
  const heads = new Map([...queues].map(([partition]) => [partition, 0]));
  const kept: RawMessage[] = [];
  while (kept.length < max) {
    let next: RawMessage | undefined;
    for (const [partition, queue] of queues) {
      const head = queue[heads.get(partition) ?? 0];
      if (!head) {
        continue;
      }
      const earlier =
        next === undefined ||
        (forward ? head.timestamp < next.timestamp : head.timestamp > next.timestamp) ||
        (head.timestamp === next.timestamp && head.partition < next.partition);
      if (earlier) {
        next = head;
      }
    }
    if (!next) {
      break;
    }
    kept.push(next);
    heads.set(next.partition, (heads.get(next.partition) ?? 0) + 1);
  }
  if (kept.length === matches.length) {
    return { kept, state, trimmed: false };
  }
  const partitions = state.partitions.map((part) => {
    const left = queues.get(part.partition)?.[heads.get(part.partition) ?? 0];
    if (!left) {
      return part;
    }
    return { ...part, position: forward ? left.offset : left.offset + 1 };
  });
  return { kept, state: { ...state, partitions }, trimmed: true };
}

/** Progress for the answer: each partition, and offsets covered of all the search covers. */
export function progressOf(state: SearchState) {
  const partitions = state.partitions.map((part) => ({ ...part, done: isDone(part, state.direction) }));
  return {
    partitions,
    covered: state.partitions.reduce((sum, part) => sum + Math.abs(part.position - part.start), 0),
    total: state.partitions.reduce((sum, part) => sum + Math.abs(part.end - part.start), 0),
  };
}
