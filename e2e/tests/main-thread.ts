import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, Page } from '@playwright/test';

/** One task of the page's main thread: wall-clock duration, and the part of it the thread spent on a CPU. */
export interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The renderer main thread's tasks in a Chromium trace (`RunTask` events, µs). A task's wall time counts
 * every moment it waited for a CPU; its thread time (`tdur`) counts only the work. On a shared, busy
 * machine the two differ by what the operating system took away.
 */
export function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): MainThreadTask[] {
  const mains = new Set(
    trace.traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return trace.traceEvents
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

/**
 * Records a Chromium trace of `page` while `work` runs into `path` (it opens in DevTools' Performance
 * panel) and returns the page's main-thread tasks.
 */
export async function traceMainThread(
  browser: Browser,
  page: Page,
  path: string,
  work: () => Promise<void>,
): Promise<MainThreadTask[]> {
  mkdirSync(dirname(path), { recursive: true });
  await browser.startTracing(page, {
    path,
    screenshots: false,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
  });
  let buffer: Buffer;
  try {
    await work();
  } finally {
    buffer = await browser.stopTracing();
  }
  return mainThreadTasks(JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] });
}
