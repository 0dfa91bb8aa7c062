import type { RunEventKind } from '@userstream/contracts';
import { isLoggedPage, LOGGED_FIRST_PAGES, MAX_LOGGED_PROBLEMS, RunEventLog } from './run-event-log.js';
import type { RunEventsRepository } from './run-events.repository.js';

class MemoryEvents implements Pick<RunEventsRepository, 'append'> {
  readonly rows: { kind: RunEventKind; message: string }[] = [];
  append(_runId: string, kind: RunEventKind, message: string): Promise<void> {
    this.rows.push({ kind, message });
    return Promise.resolve();
  }
}

describe('isLoggedPage', () => {
  it('logs the first pages, then powers of two only', () => {
    const logged = Array.from({ length: 1_000 }, (_, i) => i + 1).filter(isLoggedPage);
    expect(logged.slice(0, LOGGED_FIRST_PAGES)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(logged.slice(LOGGED_FIRST_PAGES)).toEqual([16, 32, 64, 128, 256, 512]);
  });
});

describe('RunEventLog', () => {
  const make = () => {
    const events = new MemoryEvents();
    return { events, log: new RunEventLog('run', events as unknown as RunEventsRepository) };
  };

  it('writes events in the order they were recorded, a bounded number of pages', async () => {
    const { events, log } = make();
    log.record('started', 'started');
    for (let page = 1; page <= 100; page++) {
      log.page(10, { fetched: page * 10 });
    }
    log.record('completed', 'completed');
    await log.flushed();
    expect(events.rows[0]?.kind).toBe('started');
    expect(events.rows.at(-1)?.kind).toBe('completed');
    expect(events.rows.filter((row) => row.kind === 'page')).toHaveLength(LOGGED_FIRST_PAGES + 3); // 16, 32, 64
  });

  it('keeps writing after a failed write, and stops logging retries past the bound', async () => {
    const { events, log } = make();
    const append = events.append.bind(events);
    let calls = 0;
    events.append = (...args) => (++calls === 1 ? Promise.reject(new Error('down')) : append(...args));
    for (let i = 0; i < MAX_LOGGED_PROBLEMS + 20; i++) {
      log.record('retry', `retry ${i}`);
    }
    log.record('failed', 'failed');
    await log.flushed();
    expect(events.rows.filter((row) => row.kind === 'retry')).toHaveLength(MAX_LOGGED_PROBLEMS - 1);
    expect(events.rows.at(-2)?.message).toMatch(/no further retries/);
    expect(events.rows.at(-1)?.kind).toBe('failed');
  });
});
