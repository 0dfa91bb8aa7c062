import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { RunCounters } from '@userstream/contracts';
import { RunsRepository } from '#src/run-store/index.js';

type Delta = Partial<Pick<RunCounters, 'processed' | 'stored' | 'deadLettered'>>;

const FLUSH_INTERVAL_MS = 500;

/**
 * Sums per-run counter deltas in memory and adds them to PostgreSQL twice a second, so a batch of
 * thousands of users costs one UPDATE, and a PostgreSQL outage delays the counters instead of
 * stopping the stream (unflushed deltas are kept and retried).
 */
@Injectable()
export class RunCountersBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RunCountersBuffer.name);
  private pending = new Map<string, Required<Delta>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly runs: RunsRepository) {}

  add(runId: string | null, delta: Delta): void {
    if (!runId) {
      return;
    }
    const current = this.pending.get(runId) ?? { processed: 0, stored: 0, deadLettered: 0 };
    current.processed += delta.processed ?? 0;
    current.stored += delta.stored ?? 0;
    current.deadLettered += delta.deadLettered ?? 0;
    this.pending.set(runId, current);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.flushPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushPending(): Promise<void> {
    if (this.pending.size === 0) {
      return;
    }
    const batch = this.pending;
    this.pending = new Map();
    let failure: unknown;
    for (const [runId, delta] of batch) {
      if (failure === undefined) {
        try {
          await this.runs.incrementCounters(runId, delta);
          continue;
        } catch (error) {
          failure = error;
        }
      }
      this.add(runId, delta);
    }
    if (failure !== undefined) {
      this.logger.warn(`run counters not saved yet (${(failure as Error).message}); will retry`);
    }
  }
}
