import type { RunCounters } from '@userstream/contracts';
import { curveBucketSeconds, curveSecond, toRunCurvePoints } from './run-curve.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const counters = (produced: number, processed: number, deadLettered = 0): RunCounters => ({
  fetched: produced,
  produced,
  processed,
  stored: processed - deadLettered,
  deadLettered,
});

describe('curveBucketSeconds', () => {
  it('keeps 1 s buckets for a run of up to 10 minutes, then picks the smallest round bucket', () => {
    expect(curveBucketSeconds(0)).toBe(1);
    expect(curveBucketSeconds(599_000)).toBe(1);
    expect(curveBucketSeconds(600_000)).toBe(2);
    expect(curveBucketSeconds(3_600_000)).toBe(10);
    expect(curveBucketSeconds(24 * 3_600_000)).toBe(300);
  });

  it('never gives more buckets than asked', () => {
    for (const span of [1_234_567, 7_777_777, 50 * 3_600_000]) {
      expect(span / 1000 / curveBucketSeconds(span, 100)).toBeLessThanOrEqual(99);
    }
  });
});

describe('toRunCurvePoints', () => {
  it('starts from zero at the start time and derives rates from counter differences', () => {
    const points = toRunCurvePoints(
      [
        { t: T0 + 2000, counters: counters(200, 100) },
        { t: T0 + 4000, counters: counters(600, 500, 10) },
      ],
      T0,
    );
    expect(points.map((p) => p.t)).toEqual([T0, T0 + 2000, T0 + 4000]);
    expect(points[0]).toMatchObject({ counters: counters(0, 0), lag: 0, drainSeconds: 0 });
    expect(points[1]!.rates).toEqual({
      fetched: 100,
      produced: 100,
      processed: 50,
      stored: 50,
      deadLettered: 0,
    });
    expect(points[1]).toMatchObject({ lag: 100, drainSeconds: 2 });
    expect(points[2]!.rates).toEqual({
      fetched: 200,
      produced: 200,
      processed: 200,
      stored: 195,
      deadLettered: 5,
    });
    expect(points[2]).toMatchObject({ lag: 100, drainSeconds: 0.5 });
  });

  it('starts from zero when the first sample was read in the second the run started', () => {
    const startedAt = T0 + 200;
    const points = toRunCurvePoints([{ t: curveSecond(T0 + 900), counters: counters(0, 400) }], startedAt);
    expect(points.map((p) => p.t)).toEqual([startedAt, T0 + 1000]);
    expect(points[0]!.counters).toEqual(counters(0, 0));
    expect(points[1]!.counters).toEqual(counters(0, 400));
  });

  it('says a backlog that does not move has no time to drain', () => {
    const points = toRunCurvePoints(
      [
        { t: T0, counters: counters(100, 40) },
        { t: T0 + 1000, counters: counters(100, 40) },
      ],
      null,
    );
    expect(points).toHaveLength(2);
    expect(points[0]!.rates.produced).toBe(0);
    expect(points[1]).toMatchObject({ lag: 60, drainSeconds: null });
  });

  it('has no points when no sample is kept', () => {
    expect(toRunCurvePoints([], T0)).toEqual([]);
  });
});
