import { orderMessages, planRanges } from './browse-plan.js';
import type { RawMessage } from '#src/kafka/topic-messages.repository.js';

const partitions = [
  { partition: 0, low: 0, high: 100 },
  { partition: 1, low: 40, high: 45 },
  { partition: 2, low: 7, high: 7 },
];

describe('planRanges', () => {
  it('newest first without a position: the last `limit` offsets of each non-empty partition', () => {
    expect(planRanges(partitions, { direction: 'newest', limit: 10 })).toEqual([
      { partition: 0, start: 90, end: 100 },
      { partition: 1, start: 40, end: 45 },
    ]);
  });

  it('forward without a position: from the start of each partition', () => {
    expect(planRanges(partitions, { direction: 'forward', limit: 10 })).toEqual([
      { partition: 0, start: 0, end: 10 },
      { partition: 1, start: 40, end: 45 },
    ]);
  });

  it('forward from an offset, clamped to the log', () => {
    expect(planRanges(partitions, { direction: 'forward', offset: 95, limit: 10 })).toEqual([
      { partition: 0, start: 95, end: 100 },
    ]);
    expect(planRanges(partitions.slice(1, 2), { direction: 'forward', offset: 3, limit: 2 })).toEqual([
      { partition: 1, start: 40, end: 42 },
    ]);
  });

  it('newest back from an offset, inclusive', () => {
    expect(planRanges(partitions.slice(0, 1), { direction: 'newest', offset: 20, limit: 5 })).toEqual([
      { partition: 0, start: 16, end: 21 },
    ]);
  });

  it('uses the timestamp boundary per partition when there is no offset', () => {
    const boundary = new Map([
      [0, 50],
      [1, 45],
    ]);
    expect(planRanges(partitions, { direction: 'forward', limit: 3 }, boundary)).toEqual([
      { partition: 0, start: 50, end: 53 },
    ]);
    expect(planRanges(partitions, { direction: 'newest', limit: 3 }, boundary)).toEqual([
      { partition: 0, start: 47, end: 50 },
      { partition: 1, start: 42, end: 45 },
    ]);
  });
});

describe('orderMessages', () => {
  const message = (partition: number, offset: number, timestamp: number): RawMessage => ({
    partition,
    offset,
    timestamp,
    key: null,
    value: null,
    headers: [],
  });

  it('orders one partition by offset, whatever the timestamps say', () => {
    const read = [message(0, 1, 500), message(0, 2, 100), message(0, 3, 300)];
    expect(orderMessages(read, 'newest', 10).map((m) => m.offset)).toEqual([3, 2, 1]);
    expect(orderMessages(read, 'forward', 2).map((m) => m.offset)).toEqual([1, 2]);
  });

  it('merges partitions by time and keeps the first `limit`', () => {
    const read = [message(0, 0, 10), message(1, 0, 20), message(0, 1, 30), message(1, 1, 30)];
    expect(orderMessages(read, 'newest', 3).map((m) => [m.partition, m.offset])).toEqual([
      [1, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(orderMessages(read, 'forward', 3).map((m) => [m.partition, m.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
  });
});
