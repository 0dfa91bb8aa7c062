import { advance, allocate, initialState, planChunks, progressOf, trimMatches } from './search-plan.js';
import type { Watermarks } from '#src/kafka/kafka-admin.repository.js';
import type { RawMessage } from '#src/kafka/topic-messages.repository.js';

const partitions: Watermarks[] = [
  { partition: 0, low: 0, high: 100 },
  { partition: 1, low: 40, high: 45 },
  { partition: 2, low: 7, high: 7 },
];
const watermarks = new Map(partitions.map((part) => [part.partition, part]));

const message = (partition: number, offset: number, timestamp = offset): RawMessage => ({
  partition,
  offset,
  timestamp,
  key: null,
  value: null,
  headers: [],
});

describe('allocate', () => {
  it('splits evenly and gives what a small partition cannot use to the others', () => {
    expect(allocate([100, 5, 0], 30)).toEqual([25, 5, 0]);
    expect(allocate([10, 10], 7)).toEqual([4, 3]);
    expect(allocate([3, 2], 100)).toEqual([3, 2]);
  });
});

describe('initialState and planChunks', () => {
  it('forward from the beginning: the budget over the partitions, each from its low watermark', () => {
    const state = initialState(partitions, { direction: 'forward' });
    expect(state.partitions).toEqual([
      { partition: 0, start: 0, position: 0, end: 100 },
      { partition: 1, start: 40, position: 40, end: 45 },
      { partition: 2, start: 7, position: 7, end: 7 },
    ]);
    expect(planChunks(state, 30, watermarks).chunks).toEqual([
      { partition: 0, start: 0, end: 25 },
      { partition: 1, start: 40, end: 45 },
    ]);
  });

  it('newest first from an offset: downwards from it, inclusive, to the low watermark', () => {
    const state = initialState(partitions.slice(0, 1), { direction: 'newest', offset: 49 });
    expect(state.partitions).toEqual([{ partition: 0, start: 50, position: 50, end: 0 }]);
    expect(planChunks(state, 20, watermarks).chunks).toEqual([{ partition: 0, start: 30, end: 50 }]);
  });

  it('starts from a timestamp boundary, clamped to the log', () => {
    const state = initialState(
      partitions,
      { direction: 'forward' },
      new Map([
        [0, 60],
        [1, 99],
      ]),
    );
    expect(state.partitions.map((part) => part.start)).toEqual([60, 45, 7]);
  });

  it('passes over what retention removed since the search started', () => {
    const state = initialState(partitions.slice(0, 1), { direction: 'forward' });
    const later = new Map([[0, { partition: 0, low: 30, high: 120 }]]);
    expect(planChunks(state, 10, later).chunks).toEqual([{ partition: 0, start: 30, end: 40 }]);
  });
});

describe('advance', () => {
  it('forward: each partition moves to where reading stopped', () => {
    const { state, chunks } = planChunks(initialState(partitions, { direction: 'forward' }), 30, watermarks);
    const moved = advance(
      state,
      chunks,
      new Map([
        [0, 12],
        [1, 45],
      ]),
    );
    expect(moved.state.partitions.map((part) => part.position)).toEqual([12, 45, 7]);
    expect([...moved.complete]).toEqual([1]);
  });

  it('newest first: only a chunk read whole moves its partition', () => {
    const start = initialState(partitions.slice(0, 2), { direction: 'newest' });
    const { state, chunks } = planChunks(start, 10, watermarks);
    expect(chunks).toEqual([
      { partition: 0, start: 95, end: 100 },
      { partition: 1, start: 40, end: 45 },
    ]);
    const moved = advance(
      state,
      chunks,
      new Map([
        [0, 97],
        [1, 45],
      ]),
    );
    expect(moved.state.partitions.map((part) => part.position)).toEqual([100, 40]);
    expect(progressOf(moved.state).partitions.map((part) => part.done)).toEqual([false, true]);
  });
});

describe('trimMatches', () => {
  it('keeps the first matches in time order and moves each partition back to its first one left out', () => {
    const state = {
      direction: 'forward' as const,
      partitions: [
        { partition: 0, start: 0, position: 10, end: 10 },
        { partition: 1, start: 0, position: 10, end: 10 },
      ],
    };
    const matches = [message(0, 1, 1), message(0, 5, 5), message(1, 2, 2), message(1, 8, 8)];
    const trimmed = trimMatches(matches, state, 2);
    expect(trimmed.kept.map((m) => [m.partition, m.offset])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(trimmed.state.partitions.map((part) => part.position)).toEqual([5, 8]);
    expect(trimmed.trimmed).toBe(true);
  });

  it('takes a partition in offset order even when its timestamps are not (nothing skipped or repeated)', () => {
    const state = {
      direction: 'forward' as const,
      partitions: [{ partition: 0, start: 0, position: 10, end: 10 }],
    };
    // offsets 3 and 4 were written with earlier timestamps than offset 2
    const matches = [message(0, 2, 50), message(0, 3, 10), message(0, 4, 20)];
    const trimmed = trimMatches(matches, state, 2);
    expect(trimmed.kept.map((m) => m.offset)).toEqual([2, 3]);
    expect(trimmed.state.partitions[0]?.position).toBe(4);
  });

  it('newest first: keeps the newest and moves the position just above the first left out', () => {
    const state = {
      direction: 'newest' as const,
      partitions: [{ partition: 0, start: 10, position: 0, end: 0 }],
    };
    const trimmed = trimMatches([message(0, 2), message(0, 6), message(0, 9)], state, 2);
    expect(trimmed.kept.map((m) => m.offset)).toEqual([9, 6]);
    expect(trimmed.state.partitions[0]?.position).toBe(3);
  });
});
