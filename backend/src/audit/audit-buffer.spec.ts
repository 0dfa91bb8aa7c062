import { setTimeout as sleep } from 'node:timers/promises';
import { AuditBuffer, type AuditBufferOptions } from './audit-buffer.js';

const options = (overrides: Partial<AuditBufferOptions> = {}): AuditBufferOptions => ({
  capacity: 5,
  batchSize: 100,
  intervalMs: 60_000,
  onError: () => undefined,
  ...overrides,
});

describe('AuditBuffer', () => {
  it('writes queued entries in batches, in order', async () => {
    const written: number[][] = [];
    const buffer = new AuditBuffer<number>(
      (batch) => {
        written.push(batch);
        return Promise.resolve();
      },
      options({ capacity: 100, batchSize: 2 }),
    );
    [1, 2, 3].forEach((n) => buffer.push(n));
    await buffer.flush();
    expect(written.flat()).toEqual([1, 2, 3]);
    expect(buffer.size).toBe(0);
  });

  it('push never waits for a slow store, and a failed batch is kept for the next flush', async () => {
    let fail = true;
    const errors: string[] = [];
    const written: number[] = [];
    const buffer = new AuditBuffer<number>(
      (batch) => {
        if (fail) {
          return Promise.reject(new Error('PostgreSQL down'));
        }
        written.push(...batch);
        return Promise.resolve();
      },
      options({ onError: (error) => errors.push(error.message) }),
    );
    buffer.push(1);
    buffer.push(2);
    await buffer.flush();
    expect(errors).toEqual(['PostgreSQL down']);
    expect(buffer.size).toBe(2);
    fail = false;
    await buffer.flush();
    expect(written).toEqual([1, 2]);
  });

  it('drops nothing past its capacity: it says it is full until the store has caught up', async () => {
    let fail = true;
    const written: number[] = [];
    const buffer = new AuditBuffer<number>(
      (batch) => {
        if (fail) {
          return Promise.reject(new Error('PostgreSQL down'));
        }
        written.push(...batch);
        return Promise.resolve();
      },
      options({ capacity: 5 }),
    );
    for (let n = 1; n <= 4; n++) {
      buffer.push(n);
    }
    expect(buffer.full).toBe(false);
    for (let n = 5; n <= 8; n++) {
      buffer.push(n);
    }
    expect(buffer.full).toBe(true);
    await buffer.flush();
    expect(buffer.size).toBe(8);
    fail = false;
    await buffer.flush();
    expect(buffer.full).toBe(false);
    expect(written).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('runs one write at a time and writes what is left on stop', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const written: number[] = [];
    const buffer = new AuditBuffer<number>(
      async (batch) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(5);
        written.push(...batch);
        inFlight--;
      },
      options({ capacity: 100, batchSize: 1, intervalMs: 1 }),
    );
    buffer.start();
    for (let n = 1; n <= 10; n++) {
      buffer.push(n);
    }
    await buffer.stop();
    expect(maxInFlight).toBe(1);
    expect(written).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
