import { type WriteGroup, WritePool } from './write-pool.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** A group whose row i starts when a worker takes it and ends when gates[i] opens. */
const gatedGroup = (name: string, size: number, started: string[]) => {
  const gates = Array.from({ length: size }, deferred);
  const group: WriteGroup = {
    size,
    sliceEnd: (start) => start + 1,
    write: (index) => {
      started.push(`${name}${index}`);
      return gates[index]!.promise;
    },
  };
  return { group, gates };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WritePool', () => {
  it('writes at most `concurrency` rows at once, in order across groups', async () => {
    const pool = new WritePool(2, 10);
    const started: string[] = [];
    const a = gatedGroup('a', 2, started);
    const b = gatedGroup('b', 2, started);
    pool.add(a.group);
    pool.add(b.group);
    expect(started).toEqual(['a0', 'a1']);
    expect(pool.queued).toBe(2);
    expect(pool.active).toBe(2);
    a.gates[1]!.resolve();
    await settle();
    expect(started).toEqual(['a0', 'a1', 'b0']);
    a.gates[0]!.resolve();
    await settle();
    expect(started).toEqual(['a0', 'a1', 'b0', 'b1']);
    b.gates.forEach((gate) => gate.resolve());
    await settle();
    expect(pool.active).toBe(0);
    expect(pool.queued).toBe(0);
  });

  it('hands a worker the slice the group asks for, and counts a slice as one write in flight', async () => {
    const pool = new WritePool(2, 100);
    const slices: [number, number][] = [];
    const gates: (() => void)[] = [];
    pool.add({
      size: 7,
      // slices of three rows, but a group may ask for less than one row or more than it has
      sliceEnd: (start) => (start === 0 ? 0 : start + 3),
      write: (start, end) => {
        slices.push([start, end]);
        return new Promise<void>((resolve) => gates.push(resolve));
      },
    });
    expect(slices).toEqual([
      [0, 1],
      [1, 4],
    ]);
    expect(pool.active).toBe(2);
    expect(pool.queued).toBe(3);
    gates[1]!();
    await settle();
    expect(slices).toEqual([
      [0, 1],
      [1, 4],
      [4, 7],
    ]);
    expect(pool.queued).toBe(0);
    gates.forEach((open) => open());
    await settle();
    expect(pool.active).toBe(0);
  });

  it('keeps the slot of a row whose write threw and goes on with the next', async () => {
    const pool = new WritePool(1, 10);
    const written: number[] = [];
    pool.add({
      size: 3,
      sliceEnd: (start) => start + 1,
      write: (index) => {
        if (index === 0) {
          return Promise.reject(new Error('refused'));
        }
        written.push(index);
        return Promise.resolve();
      },
    });
    await settle();
    expect(written).toEqual([1, 2]);
    expect(pool.active).toBe(0);
  });

  it('ignores an empty group', () => {
    const pool = new WritePool(1, 10);
    pool.add({
      size: 0,
      sliceEnd: () => 1,
      write: () => Promise.reject(new Error('not called')),
    });
    expect(pool.active).toBe(0);
    expect(pool.queued).toBe(0);
  });

  it('says when its queue passes the high-water mark and when it is back under the low one', async () => {
    const pool = new WritePool(1, 4, 1);
    const started: string[] = [];
    const { group, gates } = gatedGroup('a', 7, started);
    pool.add(group);
    expect(pool.queued).toBe(6);
    expect(pool.overHighWater).toBe(true);
    let drained = false;
    const below = pool.belowLowWater().then(() => (drained = true));
    for (const gate of gates.slice(0, 4)) {
      gate.resolve();
    }
    await settle();
    expect(pool.queued).toBe(2);
    expect(drained).toBe(false);
    gates[4]!.resolve();
    await below;
    expect(pool.queued).toBe(1);
    gates.forEach((gate) => gate.resolve());
    await settle();
    expect(pool.active).toBe(0);
  });
});
