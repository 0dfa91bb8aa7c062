import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RunCounters } from '@userstream/contracts';
import { RunsRepository } from '#src/run-store/index.js';

type Delta = Partial<Pick<RunCounters, 'processed' | 'stored' | 'deadLettered'>>;

/**
 * Sums per-run counter deltas in memory and adds them to PostgreSQL when the processor commits offsets (its
 * transport saves them first, see KafkaBatchServer.saveBeforeCommit): a batch of thousands of users costs one
 * UPDATE, and a run whose records are all committed reads its counters whole. A PostgreSQL outage delays the
 * counters instead of stopping the stream: unsaved deltas are kept for the next commit.
 */
@Injectable()
export class RunCountersBuffer implements OnApplicationShutdown {
  private readonly logger = new Logger(RunCountersBuffer.name);
  private pending = new Map<string, Required<Delta>>();
  private flushing: Promise<boolean> | undefined;
  /** When saving began to fail, while it fails: an outage is told once as it starts and once as it ends. */
  private failingSince: number | undefined;

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

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Saves every delta added before the call: true once PostgreSQL took them, false when they wait for the next. */
  async flush(): Promise<boolean> {
    // a save under way took its deltas before ours were added: ours go in the next one
    while (this.flushing) {
      await this.flushing;
    }
    this.flushing = this.flushPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushPending(): Promise<boolean> {
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
    this.report(failure);
    return failure === undefined;
  }

  /** Every commit tries again: warning at each would be two lines a second for as long as PostgreSQL is away. */
  private report(failure: unknown): void {
    if (failure !== undefined) {
      const message = `run counters not saved (${(failure as Error).message}); kept, and tried again at each commit`;
      if (this.failingSince === undefined) {
        this.failingSince = Date.now();
        this.logger.warn(message);
      } else {
        this.logger.debug(message);
      }
    } else if (this.failingSince !== undefined) {
      const seconds = ((Date.now() - this.failingSince) / 1000).toFixed(1);
      this.failingSince = undefined;
      this.logger.log(`run counters saved again, ${seconds} s after saving them first failed`);
    }
  }
}
