import type { PartitionLag } from '@userstream/contracts';
import { LagTrendRing } from './lag-trend.js';

const lags = (...values: number[]): PartitionLag[] =>
  values.map((lag, partition) => ({ topic: 't', partition, committed: 0, low: 0, high: lag, lag }));

describe('LagTrendRing', () => {
  it('keeps samples per group, oldest first, with the total and each current partition', () => {
    const ring = new LagTrendRing({ capacity: 10, minIntervalMs: 1_000, maxGroups: 10 });
    ring.record('g', lags(5), 0);
    ring.record('g', lags(3, 4), 5_000);
    ring.record('other', lags(100), 5_000);
    expect(ring.trend('g', lags(3, 4))).toEqual({
      at: [0, 5_000],
      total: [5, 7],
      partitions: [
        { topic: 't', partition: 0, lag: [5, 3] },
        { topic: 't', partition: 1, lag: [null, 4] },
      ],
    });
    expect(ring.trend('unknown', lags(1))).toEqual({
      at: [],
      total: [],
      partitions: [{ topic: 't', partition: 0, lag: [] }],
    });
  });

  it('replaces a sample taken too soon after the last, and drops the oldest beyond capacity', () => {
    const ring = new LagTrendRing({ capacity: 3, minIntervalMs: 1_000, maxGroups: 10 });
    ring.record('g', lags(1), 0);
    ring.record('g', lags(2), 500);
    expect(ring.trend('g', []).total).toEqual([2]);
    for (const [index, at] of [2_000, 4_000, 6_000].entries()) {
      ring.record('g', lags(10 + index), at);
    }
    expect(ring.trend('g', [])).toMatchObject({ at: [2_000, 4_000, 6_000], total: [10, 11, 12] });
  });

  it('forgets the group sampled longest ago beyond its group limit', () => {
    const ring = new LagTrendRing({ capacity: 3, minIntervalMs: 0, maxGroups: 2 });
    ring.record('a', lags(1), 0);
    ring.record('b', lags(1), 1);
    ring.record('a', lags(2), 2);
    ring.record('c', lags(1), 3);
    expect(ring.trend('b', []).at).toEqual([]);
    expect(ring.trend('a', []).total).toEqual([1, 2]);
    expect(ring.trend('c', []).total).toEqual([1]);
  });
});
