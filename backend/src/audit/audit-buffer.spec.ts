import { AuditBuffer, type AuditBufferOptions } from './audit-buffer.js';

const options = (overrides: Partial<AuditBufferOptions> = {}): AuditBufferOptions => ({
  capacity: 5,
  batchSize: 100,
  intervalMs: 60_000,
  onDrop: () => undefined,
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
        if (fail) return Promise.reject(new Error('PostgreSQL down'));
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

  it('keeps at most its capacity, dropping the oldest, and reports how many it dropped', async () => {
    const drops: number[] = [];
    const written: number[] = [];
    const buffer = new AuditBuffer<number>(
      (batch) => {
        written.push(...batch);
        return Promise.resolve();
      },
      options({ capacity: 5, onDrop: (count) => drops.push(count) }),
    );
    for (let n = 1; n <= 8; n++) buffer.push(n);
    expect(buffer.size).toBe(5);
    await buffer.flush();
    expect(drops).toEqual([3]);
    expect(written).toEqual([4, 5, 6, 7, 8]);
  });

  it('runs one write at a time and writes what is left on stop', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const written: number[] = [];
    const buffer = new AuditBuffer<number>(
      async (batch) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(...batch);
        inFlight--;
      },
      options({ capacity: 100, batchSize: 1, intervalMs: 1 }),
    );
    buffer.start();
    for (let n = 1; n <= 10; n++) buffer.push(n);
    await buffer.stop();
    expect(maxInFlight).toBe(1);
    expect(written).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
