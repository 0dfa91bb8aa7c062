import type { ThroughputPoint } from '@userstream/contracts';
import { ThroughputHistory } from './throughput-history.js';

const point = (
  t: number,
  stored: number,
  lag: number | null = null,
  latencyMs: ThroughputPoint['latencyMs'] = null,
): ThroughputPoint => ({
  t,
  rates: { fetched: stored, produced: stored, processed: stored, stored, deadLettered: 0 },
  streamRate: stored,
  lag,
  drainSeconds: lag === null ? null : stored > 0 ? lag / stored : null,
  latencyMs,
});

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('ThroughputHistory', () => {
  it('keeps 1 s points for 10 minutes', () => {
    const history = new ThroughputHistory();
    for (let s = 0; s < 15 * 60; s++) {
      history.record(point(T0 + s * 1000, s));
    }
    const { points, bucketSeconds } = history.get('10m', T0 + 15 * 60_000);
    expect(bucketSeconds).toBe(1);
    expect(points.length).toBeGreaterThanOrEqual(600);
    expect(points.length).toBeLessThanOrEqual(601);
    expect(points.at(-1)).toMatchObject({ t: T0 + (15 * 60 - 1) * 1000 });
    expect(points[0]!.t).toBeGreaterThanOrEqual(T0 + 5 * 60_000);
  });

  it('averages rates and takes the highest lag per bucket', () => {
    const history = new ThroughputHistory();
    for (let s = 0; s < 20; s++) {
      history.record(point(T0 + s * 1000, s < 10 ? 100 : 300, s === 3 ? 50 : 10));
    }
    const { points, bucketSeconds } = history.get('2h', T0 + 20_000);
    expect(bucketSeconds).toBe(10);
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ t: T0, streamRate: 100, lag: 50 });
    expect(points[0]!.rates.stored).toBe(100);
    expect(points[1]).toMatchObject({ t: T0 + 10_000, streamRate: 300, lag: 10 });
  });

  it('keeps a day of 1 min buckets and forgets older ones', () => {
    const history = new ThroughputHistory();
    const hours = 26;
    for (let m = 0; m < hours * 60; m++) {
      history.record(point(T0 + m * 60_000, m));
    }
    const { points, bucketSeconds } = history.get('24h', T0 + hours * 3_600_000);
    expect(bucketSeconds).toBe(60);
    expect(points.length).toBeLessThanOrEqual(24 * 60 + 1);
    expect(points.length).toBeGreaterThanOrEqual(24 * 60 - 1);
    expect(points[0]!.t).toBeGreaterThanOrEqual(T0 + 2 * 3_600_000);
  });

  it('averages the p50 latency and keeps the highest p99 and time to drain per bucket, skipping unknowns', () => {
    const history = new ThroughputHistory();
    history.record(point(T0, 100, 200, { p50: 10, p99: 50 }));
    history.record(point(T0 + 1000, 100, 500, null));
    history.record(point(T0 + 2000, 100, 100, { p50: 30, p99: 40 }));
    const [bucket] = history.get('2h', T0 + 3000).points;
    expect(bucket).toMatchObject({ lag: 500, drainSeconds: 5, latencyMs: { p50: 20, p99: 50 } });
  });

  it('reports an unknown lag as null', () => {
    const history = new ThroughputHistory();
    history.record(point(T0, 1, null));
    expect(history.get('10m', T0).points).toEqual([point(T0, 1, null)]);
  });
});
