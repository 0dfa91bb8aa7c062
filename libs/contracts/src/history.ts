import { z } from 'zod';
import { RunCounters } from './ingestion.js';
import { StageRates } from './live.js';

/** One bucket of a run's curve: its counters at the end of the bucket and the rates over the bucket. */
export const RunCurvePoint = z.object({
  /** Epoch milliseconds of the last sample in the bucket. */
  t: z.number(),
  counters: RunCounters,
  /** Records per second over the bucket, per stage. */
  rates: StageRates,
  /** The run's backlog: records it produced that the processors have not finished yet. */
  lag: z.number(),
  /** The backlog in time at the bucket's processing rate: 0 when none, null when nothing was processed. */
  drainSeconds: z.number().nullable(),
});
export type RunCurvePoint = z.infer<typeof RunCurvePoint>;

/**
 * A run's own curve over its lifetime, from its counters sampled every second and kept in PostgreSQL (up to
 * `HISTORY_RETENTION_HOURS`). Downsampled on read to at most `RUN_CURVE_MAX_POINTS` buckets.
 */
export const RunCurve = z.object({
  runId: z.uuid(),
  bucketSeconds: z.number().int().min(1),
  points: z.array(RunCurvePoint),
});
export type RunCurve = z.infer<typeof RunCurve>;

export const RUN_CURVE_MAX_POINTS = 600;
