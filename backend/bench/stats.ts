/** Summary statistics of benchmark samples (pure; covered by stats.spec.ts). */

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) {
    throw new RangeError('no samples');
  }
  if (values.some((value) => !Number.isFinite(value))) {
    throw new RangeError('samples must be finite numbers');
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0-100), interpolating linearly between the two closest ranks (the usual
 * "type 7" definition, as in numpy's default): p50 of [1, 2, 3, 4] is 2.5, p100 is the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile ${p} is outside 0-100`);
  }
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, ordered.length - 1);
  return ordered[below]! + (ordered[above]! - ordered[below]!) * (rank - below);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function spread(values: readonly number[]): Spread {
  const ordered = sorted(values);
  return { median: median(ordered), min: ordered[0]!, max: ordered[ordered.length - 1]!, n: ordered.length };
}

/** value / reference, or null when there is no meaningful reference. */
export function ratio(value: number, reference: number): number | null {
  return reference > 0 && Number.isFinite(value) ? value / reference : null;
}

/** Items per second for `count` items in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  if (!(ms > 0)) {
    throw new RangeError(`elapsed time must be positive, got ${ms} ms`);
  }
  return count / (ms / 1000);
}
