import type { RunEventKind } from '@userstream/contracts';
import type { RunEventsRepository } from './run-events.repository.js';

/** Every source page up to this one is logged; after it, pages 2^k only (so a run logs O(log pages)). */
export const LOGGED_FIRST_PAGES = 10;
/** Retries and errors logged per run at most (the run's `errors` list keeps the latest ones anyway). */
export const MAX_LOGGED_PROBLEMS = 100;

/** Whether the `page`-th source page (1-based) of a run gets an event: the first ten, then powers of two. */
export function isLoggedPage(page: number): boolean {
  return page <= LOGGED_FIRST_PAGES || (page & (page - 1)) === 0;
}

/**
 * A run's event log as its owner writes it: one write at a time, in order, never waited for by the run (a slow
 * or absent PostgreSQL costs the run nothing; a lost event is only a lost line of the log), and bounded per run.
 */
export class RunEventLog {
  private chain: Promise<void> = Promise.resolve();
  private pages = 0;
  private problems = 0;

  constructor(
    private readonly runId: string,
    private readonly events: RunEventsRepository,
  ) {}

  record(kind: RunEventKind, message: string, details: Record<string, unknown> | null = null): void {
    if (kind === 'retry' || kind === 'error') {
      if (this.problems >= MAX_LOGGED_PROBLEMS) {
        return;
      }
      this.problems++;
      if (this.problems === MAX_LOGGED_PROBLEMS) {
        message += ' (no further retries or errors are logged)';
      }
    }
    this.chain = this.chain
      .then(() => this.events.append(this.runId, kind, message, details))
      .catch(() => undefined);
  }

  /** A source page: logged if `isLoggedPage` says so. */
  page(records: number, totals: { fetched: number }): void {
    this.pages++;
    if (!isLoggedPage(this.pages)) {
      return;
    }
    this.record('page', `source page ${this.pages}: ${records} users`, {
      page: this.pages,
      records,
      fetched: totals.fetched,
    });
  }

  /** Resolves once every event recorded so far is written (or given up). */
  flushed(): Promise<void> {
    return this.chain;
  }
}
