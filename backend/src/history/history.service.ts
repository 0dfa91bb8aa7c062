import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { RunCounters, RunCurve, ThroughputPoint } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { curveBucketSeconds, toRunCurvePoints } from './run-curve.js';
import { type RunCounterSample, RunCurvesRepository } from './run-curves.repository.js';
import { ThroughputSamplesRepository } from './throughput-samples.repository.js';

/** Samples are written in batches: one INSERT per table every 10 s, not one per second. */
const FLUSH_MS = 10_000;
const RETENTION_MS = 10 * 60_000;
/** While PostgreSQL is unreachable an hour of samples waits; older ones are dropped first. */
const MAX_BUFFERED_SAMPLES = 3_600;
const MAX_BUFFERED_CURVE_POINTS = 100_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function bounded<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

/**
 * Keeps the live stats' history and each run's curve in PostgreSQL: buffers what the live stats record every
 * second, writes it every 10 s (and at shutdown), reads it back at boot and for run pages, and deletes what is
 * older than `HISTORY_RETENTION_HOURS` every 10 minutes. Every backend writes; rows are keyed by the second, so
 * backends sampling the same second keep one row, never a sum.
 */
@Injectable()
export class HistoryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HistoryService.name);
  private samples: ThroughputPoint[] = [];
  private curvePoints: RunCounterSample[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly samplesRepository: ThroughputSamplesRepository,
    private readonly curves: RunCurvesRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_MS);
    this.flushTimer.unref();
    this.retentionTimer = setInterval(() => void this.enforceRetention(), RETENTION_MS);
    this.retentionTimer.unref();
    void this.enforceRetention();
  }

  /** What was recorded since the last write is written before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearInterval(this.retentionTimer);
    await this.flush();
  }

  get retentionMs(): number {
    return this.config.history.retentionHours * 3_600_000;
  }

  /** One second of live stats, written at the next flush. */
  record(point: ThroughputPoint): void {
    if (this.stopped) {
      return;
    }
    this.samples.push(point);
    this.samples = bounded(this.samples, MAX_BUFFERED_SAMPLES);
  }

  /** A run's counters at `t`, written at the next flush. */
  recordRun(runId: string, t: number, counters: RunCounters): void {
    if (this.stopped) {
      return;
    }
    this.curvePoints.push({ runId, t, counters: { ...counters } });
    this.curvePoints = bounded(this.curvePoints, MAX_BUFFERED_CURVE_POINTS);
  }

  /** Writes what is buffered; on failure it stays buffered for the next attempt. One flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  /** The samples kept since `since`, oldest first (to rebuild the in-memory history at boot). */
  samplesSince(since: number): Promise<ThroughputPoint[]> {
    return this.samplesRepository.findSince(new Date(Math.max(since, Date.now() - this.retentionMs)));
  }

  /** A run's curve, downsampled to at most `RUN_CURVE_MAX_POINTS` buckets; no points once retention took it. */
  async runCurve(runId: string, startedAt: number | null): Promise<RunCurve> {
    await this.flush();
    const span = await this.curves.span(runId);
    if (!span) {
      return { runId, bucketSeconds: 1, points: [] };
    }
    const bucketSeconds = curveBucketSeconds(span.last - Math.min(span.first, startedAt ?? span.first));
    const samples = await this.curves.findLastPerBucket(runId, bucketSeconds);
    return { runId, bucketSeconds, points: toRunCurvePoints(samples, startedAt) };
  }

  /** Deletes samples and curve points older than the retention; returns how many of each. */
  async enforceRetention(now = Date.now()): Promise<{ samples: number; curvePoints: number }> {
    const cutoff = new Date(now - this.retentionMs);
    try {
      const samples = await this.samplesRepository.deleteOlderThan(cutoff);
      const curvePoints = await this.curves.deleteOlderThan(cutoff);
      return { samples, curvePoints };
    } catch (error) {
      this.logger.warn(`history retention failed (retried in 10 minutes): ${message(error)}`);
      return { samples: 0, curvePoints: 0 };
    }
  }

  private async write(): Promise<void> {
    const samples = this.samples;
    const curvePoints = this.curvePoints;
    this.samples = [];
    this.curvePoints = [];
    try {
      await this.samplesRepository.insertMany(samples);
    } catch (error) {
      this.samples = bounded([...samples, ...this.samples], MAX_BUFFERED_SAMPLES);
      this.logger.warn(`throughput history not written (retried in 10 s): ${message(error)}`);
    }
    try {
      await this.curves.insertMany(curvePoints);
    } catch (error) {
      this.curvePoints = bounded([...curvePoints, ...this.curvePoints], MAX_BUFFERED_CURVE_POINTS);
      this.logger.warn(`run curves not written (retried in 10 s): ${message(error)}`);
    }
  }
}
