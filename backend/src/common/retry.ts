import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less when `signal` aborts (resolving then, not rejecting: the caller looks at the signal). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal?.aborted) {
      throw error;
    }
  }
}

export interface RetryOptions {
  /** The wait after failed attempt number `attempt` (from 1). */
  delayMs: (attempt: number, error: unknown) => number;
  /** Whether `error` is worth another attempt; anything else is thrown at once. Default: every error. */
  retryable?: (error: unknown, attempt: number) => boolean;
  /** No attempt after this many. */
  maxAttempts?: number;
  /** No attempt once this long has passed since the first one. */
  giveUpAfterMs?: number;
  /** Told of each failure that will be retried, before the wait (to log it); a promise it returns is awaited. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
  /** An abort ends the wait and the retries: the last error is thrown. */
  signal?: AbortSignal;
  /** How to wait (tests pass a clock of their own). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * `work` until it resolves, waiting between attempts as `delayMs` says. The last error is thrown when it is not
 * retryable, when attempts or time run out, or on abort. The backend's one retry loop.
 */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, wait = sleep } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const exhausted =
        (options.maxAttempts !== undefined && attempt >= options.maxAttempts) ||
        (options.giveUpAfterMs !== undefined && Date.now() - started >= options.giveUpAfterMs);
      if (exhausted || signal?.aborted || !(options.retryable?.(error, attempt) ?? true)) {
        throw error;
      }
      const ms = options.delayMs(attempt, error);
      await options.onRetry?.(error, attempt, ms);
      await wait(ms, signal);
      if (signal?.aborted) {
        throw error;
      }
    }
  }
}

/** Backoffs for `delayMs`. */
export const backoff = {
  /** stepMs, 2 x stepMs, ... up to maxMs. */
  linear:
    (stepMs: number, maxMs = Infinity) =>
    (attempt: number): number =>
      Math.min(maxMs, stepMs * attempt),
  /**
   * firstMs, doubling up to maxMs; `jitter` keeps the upper half of that at random (`half`) or any of it
   * (`full`), so that clients failing together do not retry together.
   */
  exponential:
    (firstMs: number, maxMs: number, jitter: 'none' | 'half' | 'full' = 'none') =>
    (attempt: number): number => {
      const ms = Math.min(maxMs, firstMs * 2 ** Math.min(attempt - 1, 30));
      return jitter === 'none'
        ? ms
        : jitter === 'half'
          ? ms * (0.5 + Math.random() / 2)
          : Math.floor(ms * Math.random());
    },
};

/** What waitFor's check throws to retry while its condition does not hold yet. */
class NotYet extends Error {}

export interface WaitForOptions {
  everyMs: number;
  timeoutMs: number;
  /** Errors of `check` that mean "not yet" rather than failure. Default: none. */
  notYet?: (error: unknown) => boolean;
  signal?: AbortSignal;
}

/**
 * Calls `check` every `everyMs` until it answers something other than false or undefined, and answers that; or
 * undefined once `timeoutMs` has passed (throwing instead the error of the last check, if that one threw). An
 * error `notYet` does not accept is thrown at once.
 */
export async function waitFor<T>(
  check: () => T | false | undefined | Promise<T | false | undefined>,
  options: WaitForOptions,
): Promise<T | undefined> {
  const { everyMs, timeoutMs, notYet = () => false, signal } = options;
  try {
    return await retry(
      async () => {
        const answer = await check();
        if (answer === false || answer === undefined) {
          throw new NotYet('not yet');
        }
        return answer;
      },
      {
        delayMs: () => everyMs,
        giveUpAfterMs: timeoutMs,
        retryable: (error) => error instanceof NotYet || notYet(error),
        signal,
      },
    );
  } catch (error) {
    if (error instanceof NotYet) {
      return undefined;
    }
    throw error;
  }
}
