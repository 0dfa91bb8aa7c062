import { RUN_CURVE_MAX_POINTS, type RunCounters, type RunCurvePoint } from '@userstream/contracts';

const STAGES = ['fetched', 'produced', 'processed', 'stored', 'deadLettered'] as const;
/** Bucket sizes a curve is read at: round numbers of seconds. */
const BUCKET_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400,
];

const zero = (): RunCounters => ({ fetched: 0, produced: 0, processed: 0, stored: 0, deadLettered: 0 });

/**
 * The whole second a sample read at `t` is kept under: the end of the second it was read in, so that a sample
 * read in the second its run started never sorts before the start (and the curve still begins from zero).
 */
export function curveSecond(t: number): number {
  return Math.ceil(t / 1000) * 1000;
}

/** The smallest round bucket that draws `spanMs` in at most `maxPoints` buckets. */
export function curveBucketSeconds(spanMs: number, maxPoints = RUN_CURVE_MAX_POINTS): number {
  const seconds = Math.max(0, spanMs) / 1000;
  return BUCKET_STEPS.find((step) => seconds / step <= maxPoints - 1) ?? BUCKET_STEPS.at(-1)!;
}

/**
 * Rates over each bucket from the counters at the ends of consecutive buckets; the run starts from zero
 * counters at `startedAt` (a run's first seconds may be over before it was first sampled). The backlog is what
 * the run produced that is not processed yet, and in time at the bucket's processing rate.
 */
export function toRunCurvePoints(
  samples: readonly { t: number; counters: RunCounters }[],
  startedAt: number | null,
): RunCurvePoint[] {
  const start = startedAt !== null && samples.length > 0 && startedAt < samples[0]!.t;
  const all = start ? [{ t: startedAt, counters: zero() }, ...samples] : samples;
  return all.map(({ t, counters }, i) => {
    const previous = all[i - 1];
    const seconds = previous ? (t - previous.t) / 1000 : 0;
    const rates = zero();
    for (const stage of STAGES) {
      rates[stage] =
        previous && seconds > 0 ? Math.max(0, counters[stage] - previous.counters[stage]) / seconds : 0;
    }
    const lag = Math.max(0, counters.produced - counters.processed);
    return {
      t,
      counters,
      rates,
      lag,
      drainSeconds: lag === 0 ? 0 : rates.processed > 0 ? lag / rates.processed : null,
    };
  });
}
