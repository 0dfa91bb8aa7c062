import { backoff, retry, sleep, waitFor } from './retry.js';

/** A `work` failing `failures` times with `error`, then answering `answer`; calls counted. */
function failing<T>(failures: number, answer: T, error: Error = new Error('refused')) {
  const calls: number[] = [];
  const work = (attempt: number): Promise<T> => {
    calls.push(attempt);
    return calls.length <= failures ? Promise.reject(error) : Promise.resolve(answer);
  };
  return { work, calls };
}

describe('retry', () => {
  it('answers with the first attempt that succeeds, waiting as the backoff says between attempts', async () => {
    const waits: number[] = [];
    const { work, calls } = failing(3, 'stored');
    const answer = await retry(work, {
      delayMs: backoff.linear(100),
      wait: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(answer).toBe('stored');
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([100, 200, 300]);
  });

  it('throws an error it may not retry at once', async () => {
    const permanent = new Error('permanent');
    const { work, calls } = failing(5, 'never', permanent);
    await expect(retry(work, { delayMs: () => 0, retryable: (error) => error !== permanent })).rejects.toBe(
      permanent,
    );
    expect(calls).toEqual([1]);
  });

  it('throws the last error once attempts run out, and tells of each retry before it', async () => {
    const retried: number[] = [];
    const { work, calls } = failing(10, 'never');
    await expect(
      retry(work, {
        delayMs: () => 0,
        maxAttempts: 3,
        onRetry: (_, attempt) => {
          retried.push(attempt);
        },
      }),
    ).rejects.toThrow('refused');
    expect(calls).toEqual([1, 2, 3]);
    expect(retried).toEqual([1, 2]);
  });

  it('waits for what onRetry returns before the next attempt', async () => {
    const events: string[] = [];
    const { work } = failing(1, 'stored');
    await retry(
      (attempt) => {
        events.push(`attempt ${attempt}`);
        return work(attempt);
      },
      {
        delayMs: () => 0,
        onRetry: async () => {
          await sleep(20);
          events.push('recorded');
        },
      },
    );
    expect(events).toEqual(['attempt 1', 'recorded', 'attempt 2']);
  });

  it('throws the last error once its time is up', async () => {
    const { work, calls } = failing(1_000, 'never');
    await expect(retry(work, { delayMs: () => 20, giveUpAfterMs: 70 })).rejects.toThrow('refused');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(6);
  });

  it('an abort ends the wait at once and throws the last error', async () => {
    const controller = new AbortController();
    const { work, calls } = failing(1_000, 'never');
    const started = Date.now();
    const retrying = retry(work, { delayMs: () => 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(retrying).rejects.toThrow('refused');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls).toEqual([1]);
  });
});

describe('backoff', () => {
  it('linear grows by a step up to its ceiling', () => {
    const delay = backoff.linear(500, 1_200);
    expect([1, 2, 3, 9].map((attempt) => delay(attempt))).toEqual([500, 1_000, 1_200, 1_200]);
  });

  it('exponential doubles from its first wait up to its ceiling, jittered within it', () => {
    const plain = backoff.exponential(100, 1_000);
    expect([1, 2, 3, 4, 5, 80].map((attempt) => plain(attempt))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    for (let attempt = 1; attempt < 50; attempt++) {
      const half = backoff.exponential(100, 1_000, 'half')(attempt);
      const full = backoff.exponential(100, 1_000, 'full')(attempt);
      expect(half).toBeGreaterThanOrEqual(plain(attempt) / 2);
      expect(half).toBeLessThanOrEqual(plain(attempt));
      expect(full).toBeGreaterThanOrEqual(0);
      expect(full).toBeLessThan(plain(attempt));
    }
  });
});

describe('waitFor', () => {
  it('answers true as soon as the check holds', async () => {
    let checks = 0;
    await expect(waitFor(() => ++checks === 3, { everyMs: 1, timeoutMs: 5_000 })).resolves.toBe(true);
    expect(checks).toBe(3);
  });

  it('answers what the check found, and undefined when it finds nothing in time', async () => {
    let checks = 0;
    await expect(
      waitFor(() => (++checks === 2 ? 'found' : undefined), { everyMs: 1, timeoutMs: 5_000 }),
    ).resolves.toBe('found');
    await expect(waitFor(() => false, { everyMs: 5, timeoutMs: 30 })).resolves.toBeUndefined();
  });

  it('takes the errors it is told mean "not yet", and throws any other', async () => {
    const settling = new Error('not served yet');
    let checks = 0;
    const check = () => {
      if (++checks < 3) {
        throw settling;
      }
      return true;
    };
    await expect(
      waitFor(check, { everyMs: 1, timeoutMs: 5_000, notYet: (e) => e === settling }),
    ).resolves.toBe(true);
    await expect(
      waitFor(
        () => {
          throw new Error('broken');
        },
        { everyMs: 1, timeoutMs: 5_000 },
      ),
    ).rejects.toThrow('broken');
  });

  it('throws the last error when time runs out while the check fails', async () => {
    const settling = new Error('not served yet');
    const check = () => {
      throw settling;
    };
    await expect(waitFor(check, { everyMs: 5, timeoutMs: 30, notYet: () => true })).rejects.toBe(settling);
  });
});

describe('sleep', () => {
  it('ends early, resolving, when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 10);
    await sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
