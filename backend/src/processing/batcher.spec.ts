import { setTimeout as sleep } from 'node:timers/promises';
import { Batcher } from './batcher.js';

/** A batcher of up to 3 items or 5 ms whose flushes succeed and are recorded in `sent`. */
function recording(): { batcher: Batcher<number>; sent: number[][] } {
  const sent: number[][] = [];
  const batcher = new Batcher<number>(
    (items) => {
      sent.push(items);
      return Promise.resolve();
    },
    { maxItems: 3, maxDelayMs: 5, keepTrying: () => true },
  );
  return { batcher, sent };
}

describe('Batcher', () => {
  it('sends a full group at once and the rest after the delay', async () => {
    const { batcher, sent } = recording();
    const adds = [1, 2, 3, 4].map((item) => batcher.add(item));
    expect(sent).toEqual([[1, 2, 3]]);
    await Promise.all(adds);
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it('retries a failed flush while asked to, then settles every item of the group', async () => {
    let calls = 0;
    const batcher = new Batcher<string>(
      () => (++calls < 3 ? Promise.reject(new Error('broker down')) : Promise.resolve()),
      { maxItems: 10, maxDelayMs: 1, keepTrying: () => true },
    );
    await expect(Promise.all([batcher.add('a'), batcher.add('b')])).resolves.toEqual([undefined, undefined]);
    expect(calls).toBe(3);
  });

  it('rejects the group once it should stop trying', async () => {
    const batcher = new Batcher<string>(() => Promise.reject(new Error('broker down')), {
      maxItems: 1,
      maxDelayMs: 1,
      keepTrying: () => false,
    });
    await expect(batcher.add('a')).rejects.toThrow('broker down');
  });

  it('says once when a flush has waited too long, as a send that hangs says nothing else', async () => {
    const slow: [number, number][] = [];
    let release: () => void = () => undefined;
    const batcher = new Batcher<number>(() => new Promise<void>((resolve) => (release = resolve)), {
      maxItems: 2,
      maxDelayMs: 1_000,
      keepTrying: () => true,
      slowAfterMs: 50,
      onSlow: (items, waitedMs) => slow.push([items, waitedMs]),
    });
    const sent = Promise.all([batcher.add(1), batcher.add(2)]);
    await sleep(200);
    expect(slow).toEqual([[2, 50]]);
    release();
    await sent;
  });

  it('sends items added together in groups of at most maxItems and settles them once all are sent', async () => {
    const { batcher, sent } = recording();
    const first = batcher.add(0);
    const all = batcher.addAll([1, 2, 3, 4, 5]);
    const none = batcher.addAll([]);
    // 0 and the first group of three do not fit together: 0 goes first, on its own
    expect(sent).toEqual([[0], [1, 2, 3]]);
    await Promise.all([first, all, none]);
    expect(sent).toEqual([[0], [1, 2, 3], [4, 5]]);
  });
});
