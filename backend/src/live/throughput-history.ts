import type { HistoryRange, LiveHistory, StageRates, ThroughputPoint } from '@userstream/contracts';

const STAGES = ['fetched', 'produced', 'processed', 'stored', 'deadLettered'] as const;

interface Bucket {
  t: number;
  samples: number;
  rates: StageRates;
  streamRate: number;
  lag: number | null;
  drainSeconds: number | null;
  /** Sum and count of the p50 latencies, highest p99. */
  p50Sum: number;
  latencySamples: number;
  p99: number;
}

interface Tier {
  bucketMs: number;
  spanMs: number;
  closed: ThroughputPoint[];
  open: Bucket | undefined;
}

const TIERS: Record<HistoryRange, { bucketMs: number; spanMs: number }> = {
  '10m': { bucketMs: 1_000, spanMs: 10 * 60_000 },
  '2h': { bucketMs: 10_000, spanMs: 2 * 3_600_000 },
  '24h': { bucketMs: 60_000, spanMs: 24 * 3_600_000 },
};

/** The longest range: how far back the history is rebuilt from PostgreSQL at boot. */
export const HISTORY_SPAN_MS = TIERS['24h'].spanMs;

const zeroRates = (): StageRates => ({ fetched: 0, produced: 0, processed: 0, stored: 0, deadLettered: 0 });

const maxOrNull = (a: number | null, b: number | null) => (b === null ? a : Math.max(a ?? 0, b));

function close(bucket: Bucket): ThroughputPoint {
  const rates = zeroRates();
  for (const stage of STAGES) {
    rates[stage] = bucket.rates[stage] / bucket.samples;
  }
  return {
    t: bucket.t,
    rates,
    streamRate: bucket.streamRate / bucket.samples,
    lag: bucket.lag,
    drainSeconds: bucket.drainSeconds,
    latencyMs:
      bucket.latencySamples === 0 ? null : { p50: bucket.p50Sum / bucket.latencySamples, p99: bucket.p99 },
  };
}

/**
 * About 24 hours of per-second throughput, lag and latency, downsampled as it ages: 1 s points for the last 10
 * minutes, 10 s buckets for 2 hours, 1 min buckets for 24 hours (about 2,800 points in all). A bucket holds
 * the mean of each rate and of the p50 latency, and the highest lag, time to drain and p99 latency.
 */
export class ThroughputHistory {
  private readonly tiers = new Map<HistoryRange, Tier>(
    Object.entries(TIERS).map(([range, { bucketMs, spanMs }]) => [
      range as HistoryRange,
      { bucketMs, spanMs, closed: [], open: undefined },
    ]),
  );

  record(point: ThroughputPoint): void {
    for (const tier of this.tiers.values()) {
      const t = Math.floor(point.t / tier.bucketMs) * tier.bucketMs;
      if (tier.open && tier.open.t !== t) {
        tier.closed.push(close(tier.open));
        tier.open = undefined;
        const oldest = t - tier.spanMs;
        while (tier.closed.length > 0 && tier.closed[0]!.t < oldest) {
          tier.closed.shift();
        }
      }
      tier.open ??= {
        t,
        samples: 0,
        rates: zeroRates(),
        streamRate: 0,
        lag: null,
        drainSeconds: null,
        p50Sum: 0,
        latencySamples: 0,
        p99: 0,
      };
      const open = tier.open;
      open.samples += 1;
      for (const stage of STAGES) {
        open.rates[stage] += point.rates[stage];
      }
      open.streamRate += point.streamRate;
      open.lag = maxOrNull(open.lag, point.lag);
      open.drainSeconds = maxOrNull(open.drainSeconds, point.drainSeconds);
      if (point.latencyMs) {
        open.p50Sum += point.latencyMs.p50;
        open.latencySamples += 1;
        open.p99 = Math.max(open.p99, point.latencyMs.p99);
      }
    }
  }

  /** Oldest first; the last point is the bucket still filling. */
  get(range: HistoryRange, now = Date.now()): LiveHistory {
    const tier = this.tiers.get(range)!;
    const oldest = now - tier.spanMs;
    const points = tier.closed.filter((point) => point.t >= oldest);
    if (tier.open) {
      points.push(close(tier.open));
    }
    return { range, bucketSeconds: tier.bucketMs / 1000, points };
  }
}
