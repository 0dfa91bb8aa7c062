import { WritePool } from './write-pool.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('WritePool', () => {
  it('runs at most `concurrency` tasks at once and queues the rest in order', async () => {
    const pool = new WritePool(2, 10);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      pool.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(pool.queued).toBe(1);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(pool.active).toBe(0);
  });

  it('frees the slot of a task that failed', async () => {
    const pool = new WritePool(1, 10);
    await expect(pool.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(pool.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('says when its queue passes the high-water mark and when it is back under the low one', async () => {
    const pool = new WritePool(1, 4, 1);
    const gate = deferred();
    const runs = Array.from({ length: 7 }, () => pool.run(() => gate.promise));
    expect(pool.overHighWater).toBe(true);
    let drained = false;
    const below = pool.belowLowWater().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    gate.resolve();
    await below;
    expect(pool.queued).toBeLessThanOrEqual(1);
    await Promise.all(runs);
  });
});
