import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  FINISHED_RUN_STATES,
  type HistoryRange,
  LIVE_STATS_INTERVAL_MS,
  type LiveHistory,
  type LiveStats,
  type Run,
  type RunCounters,
  type RunState,
  type StageRates,
  type ThroughputPoint,
} from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { withTimeout } from '#src/common/index.js';
import { HistoryService } from '#src/history/index.js';
import { KafkaAdminRepository, partitionLag } from '#src/kafka/index.js';
import { toRun, RunsRepository } from '#src/run-store/index.js';
import { LiveEmitter } from './live.emitter.js';
import { LiveStreamService } from './live-stream.service.js';
import { HISTORY_SPAN_MS, ThroughputHistory } from './throughput-history.js';

const STAGES = ['fetched', 'produced', 'processed', 'stored', 'deadLettered'] as const;
/** Runs that ended this long ago are still read, so their last counter increments are counted. */
const ENDED_WINDOW_MS = 60_000;
/** Rates are measured over this window: the processors save counters with their commits, unevenly. */
const RATE_WINDOW_MS = 2_000;
/** A lag older than this is flagged as stale; older than the limit, as unknown. */
const LAG_STALE_MS = 5_000;
const LAG_MAX_AGE_MS = 30_000;
const RUNS_POLL_TIMEOUT_MS = 2_000;

interface Sample {
  at: number;
  totals: StageRates;
  stream: number;
}

const zero = (): StageRates => ({ fetched: 0, produced: 0, processed: 0, stored: 0, deadLettered: 0 });
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Once a second: polls the runs table (state changes become `run` events; counter increments summed
 * over all runs become per-stage rates), reads the processor group's lag on the raw topic, records a
 * point of throughput history and sends `stats` to every client. Polling PostgreSQL rather than
 * listening to one process's runs keeps every instance right whichever instance runs a run.
 */
@Injectable()
export class LiveStatsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveStatsService.name);
  private readonly memory = new ThroughputHistory();
  private readonly known = new Map<string, { state: RunState; counters: RunCounters }>();
  private readonly totals = zero();
  private samples: Sample[] = [];
  private activeRuns: Run[] = [];
  private polledOnce = false;
  private lag: { value: number; at: number } | undefined;
  private lagError: string | undefined;
  private lagInFlight = false;
  private ticking = false;
  private stopped = false;
  private lagQuery: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private last: LiveStats | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly runs: RunsRepository,
    private readonly kafkaAdmin: KafkaAdminRepository,
    private readonly stream: LiveStreamService,
    private readonly history: HistoryService,
    private readonly emitter: LiveEmitter,
  ) {}

  /** Rebuilds the last 24 h from PostgreSQL first, so a restart shows the same history. */
  async onModuleInit(): Promise<void> {
    try {
      for (const point of await this.history.samplesSince(Date.now() - HISTORY_SPAN_MS)) {
        this.memory.record(point);
      }
    } catch (error) {
      this.logger.warn(`throughput history not read back, starting empty: ${message(error)}`);
    }
    this.timer = setInterval(() => void this.tick(), LIVE_STATS_INTERVAL_MS);
    this.timer.unref();
  }

  /** Waits for the lag query in flight, so no Kafka call outlives the application. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.lagQuery;
  }

  /** The latest stats, for a client that just connected. */
  latest(): LiveStats | undefined {
    return this.last;
  }

  getHistory(range: HistoryRange): LiveHistory {
    return this.memory.get(range);
  }

  async tick(): Promise<void> {
    if (this.stopped) {
      return;
    }
    if (this.ticking) {
      return;
    }
    this.ticking = true;
    try {
      const now = Date.now();
      const problems: string[] = [];
      this.refreshLag();
      try {
        await withTimeout(this.pollRuns(), RUNS_POLL_TIMEOUT_MS, 'reading the runs');
      } catch (error) {
        problems.push(`run counters unavailable: ${message(error)}`);
      }
      const lagAge = this.lag ? now - this.lag.at : Infinity;
      const lag = this.lag && lagAge <= LAG_MAX_AGE_MS ? this.lag.value : null;
      if (lag === null && (this.lag || this.lagError)) {
        problems.push(`consumer lag unavailable${this.lagError ? `: ${this.lagError}` : ''}`);
      } else if (lag !== null && lagAge > LAG_STALE_MS) {
        problems.push(`consumer lag is ${Math.round(lagAge / 1000)} s old (Kafka answers slowly)`);
      }

      this.samples.push({ at: now, totals: { ...this.totals }, stream: this.stream.receivedTotal });
      while (this.samples.length > 2 && now - this.samples[1]!.at >= RATE_WINDOW_MS) {
        this.samples.shift();
      }
      const first = this.samples[0]!;
      const seconds = (now - first.at) / 1000;
      const rates = zero();
      for (const stage of STAGES) {
        rates[stage] = seconds > 0 ? (this.totals[stage] - first.totals[stage]) / seconds : 0;
      }
      const streamRate = seconds > 0 ? (this.stream.receivedTotal - first.stream) / seconds : 0;
      const drainRate = Math.max(rates.processed, streamRate);
      const point: ThroughputPoint = {
        t: now,
        rates,
        streamRate,
        lag,
        drainSeconds: lag === null ? null : lag === 0 ? 0 : drainRate > 0 ? lag / drainRate : null,
        latencyMs: this.stream.drainLatency(),
      };
      const stats: LiveStats = { ...point, activeRuns: this.activeRuns, problems };
      // the first tick has no rate window yet: its zeros are not history (nor in PostgreSQL, where they could
      // take the place of another backend's sample of that second)
      if (seconds > 0) {
        this.memory.record(point);
        this.history.record(point);
      }
      this.last = stats;
      this.emitter.toAll('stats', stats);
    } catch (error) {
      this.logger.warn(`live stats failed: ${message(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Counter increments since the last poll go to the totals; state changes become `run` events. */
  private async pollRuns(): Promise<void> {
    const now = Date.now();
    const entities = await this.runs.findActiveOrEndedSince(new Date(now - ENDED_WINDOW_MS));
    // the counters are as of the query, which a loaded pool may have run well after `now`
    const readAt = Date.now();
    const seen = new Set<string>();
    const activeRuns: Run[] = [];
    for (const entity of entities) {
      const run = toRun(entity);
      seen.add(run.id);
      const before = this.known.get(run.id);
      // a run first seen after the first poll started since then: all its counts are new
      if (before || this.polledOnce) {
        for (const stage of STAGES) {
          this.totals[stage] += Math.max(0, run.counters[stage] - (before?.counters[stage] ?? 0));
        }
      }
      // a run's curve: every second while it is active, then while processors still move its counters
      const active = !FINISHED_RUN_STATES.includes(run.state);
      if (active || !before || STAGES.some((stage) => before.counters[stage] !== run.counters[stage])) {
        this.history.recordRun(run.id, readAt, run.counters);
      }
      if (this.polledOnce && before?.state !== run.state) {
        this.emitter.toAll('run', { run, previousState: before?.state ?? null });
      }
      this.known.set(run.id, { state: run.state, counters: run.counters });
      if (active) {
        activeRuns.push(run);
      }
    }
    for (const id of this.known.keys()) {
      if (!seen.has(id)) {
        this.known.delete(id);
      }
    }
    this.activeRuns = activeRuns;
    this.polledOnce = true;
  }

  /** Sum over the raw topic's partitions of the processor group's lag (see `partitionLag`). */
  private refreshLag(): void {
    if (this.lagInFlight || this.stopped) {
      return;
    }
    this.lagInFlight = true;
    this.lagQuery = (async () => {
      try {
        const { processorGroupId, topics } = this.config.kafka;
        const committed =
          (await this.kafkaAdmin.committedOffsets([processorGroupId], topics.rawUsers)).get(
            processorGroupId,
          ) ?? [];
        const partitions = committed.map(({ partition }) => partition);
        const watermarks = await this.kafkaAdmin.topicWatermarks(topics.rawUsers, partitions);
        const done = new Map(committed.map(({ partition, offset }) => [partition, offset]));
        const value = watermarks.reduce(
          (sum, { partition, low, high }) => sum + partitionLag(done.get(partition) ?? null, low, high),
          0,
        );
        this.lag = { value, at: Date.now() };
        this.lagError = undefined;
      } catch (error) {
        this.lagError = message(error);
      } finally {
        this.lagInFlight = false;
      }
    })();
  }
}
