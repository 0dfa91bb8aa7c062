// Waiting: the one retry loop and the one deadline of the runner, on node:timers/promises.
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** A server accepted the connection but did not finish the exchange in time. */
export class NoAnswer extends Error {}

/**
 * Calls `attempt` until it returns something other than undefined, and resolves with that, waiting `everyMs`
 * between attempts. With `timeoutMs`, gives up once that time has passed and resolves with undefined. An attempt
 * that throws ends the retries with its error.
 */
export async function retry(attempt, { everyMs, timeoutMs = Infinity }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await attempt();
    if (result !== undefined) {
      return result;
    }
    await sleep(everyMs);
  }
  return undefined;
}

/**
 * Resolves or rejects as `work()` does, or rejects with NoAnswer(`message`) once `timeoutMs` has passed: a server
 * that accepts a connection but never answers (a JVM still starting) cannot hang the caller.
 */
export async function withTimeout(work, { timeoutMs, message }) {
  const timer = new AbortController();
  const expired = sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => {
    throw new NoAnswer(message);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    timer.abort();
  }
}

/**
 * Closes a client once `work` (what was asked of it) has settled, waiting at most `timeoutMs` for that and the
 * close; never rejects. A client closed mid-work may connect or open sockets afterwards (a request still in flight,
 * a connect the driver will not abandon), and those would keep the process alive: closing after the work settles,
 * even past the wait, leaves nothing open.
 */
export async function closeOnceSettled(work, close, timeoutMs) {
  const closed = work.then(close, close).catch(() => undefined);
  await withTimeout(() => closed, { timeoutMs, message: 'close' }).catch(() => undefined);
}
