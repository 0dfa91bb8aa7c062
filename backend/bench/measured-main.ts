/**
 * The backend's entry (main.js) plus one IPC hook: on 'heap' it collects garbage (when node runs with
 * --expose-gc) and answers with its heap, so the benchmark can read the memory of a backend that runs in
 * a process of its own. The hook holds no memory and does not keep the process alive.
 */
import type { HeapReport } from './backend-process.js';

process.channel?.unref();
process.on('message', (message) => {
  if (message !== 'heap') {
    return;
  }
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const report: HeapReport = { heapUsed: process.memoryUsage().heapUsed, collected: Boolean(collect) };
  process.send?.(report);
});

await import('#src/main.js');
