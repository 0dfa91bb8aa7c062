import { BatchSampler } from './batch-sampler.js';

/** Records whose latency is measured per stats interval: a uniform sample keeps the cost flat at any rate. */
const SAMPLE_CAP = 256;

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], q: number): number {
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

function ingestedAt(raw: Buffer): number | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    const at = (value as { ingestedAt?: unknown }).ingestedAt;
    const ms = typeof at === 'string' ? Date.parse(at) : NaN;
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ingest-to-stored latency of the processed records: from the producer's hand-off (`ingestedAt` in the record)
 * to the record's Kafka timestamp on the processed topic, which the processor writes once the row is stored.
 * Only a uniform sample of each interval is parsed.
 */
export class IngestLatency {
  private readonly sampler: BatchSampler<{ raw: Buffer; storedAt: number }>;

  constructor(capacity = SAMPLE_CAP, random?: () => number) {
    this.sampler = new BatchSampler(capacity, random);
  }

  offer(raw: Buffer, storedAt: number): void {
    this.sampler.offer({ raw, storedAt });
  }

  /** p50 and p99 in ms of the interval that just ended; null when no record said when it was ingested. */
  drain(): { p50: number; p99: number } | null {
    const latencies: number[] = [];
    for (const { raw, storedAt } of this.sampler.drain().items) {
      const at = ingestedAt(raw);
      // clocks of different hosts may disagree by a few ms: never below zero
      if (at !== undefined) {
        latencies.push(Math.max(0, storedAt - at));
      }
    }
    if (latencies.length === 0) {
      return null;
    }
    latencies.sort((a, b) => a - b);
    return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  }
}
