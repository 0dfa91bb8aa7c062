import { DrainWatch } from './drain-watch.js';

const ends = [
  { partition: 0, low: 0, high: 100 },
  { partition: 1, low: 0, high: 50 },
];

describe('DrainWatch', () => {
  it('is done once every partition is committed at or past its end', () => {
    const watch = new DrainWatch(ends, 1_000, 0);
    expect(watch.observe([{ partition: 0, offset: 100 }], 10)).toEqual({ state: 'draining' });
    expect(
      watch.observe(
        [
          { partition: 0, offset: 100 },
          { partition: 1, offset: 60 },
        ],
        20,
      ),
    ).toEqual({ state: 'done' });
  });

  it('waits for a drain that keeps moving, however long it takes', () => {
    const watch = new DrainWatch(ends, 1_000, 0);
    for (let step = 1; step <= 40; step++) {
      const now = step * 900;
      expect(watch.observe([{ partition: 0, offset: step }], now)).toEqual({ state: 'draining' });
    }
  });

  it('calls a drain stalled once nothing moved for the whole stall time, with what is left', () => {
    const watch = new DrainWatch(ends, 1_000, 0);
    expect(watch.observe([{ partition: 0, offset: 80 }], 100)).toEqual({ state: 'draining' });
    expect(watch.observe([{ partition: 0, offset: 90 }], 500)).toEqual({ state: 'draining' });
    expect(watch.observe([{ partition: 0, offset: 90 }], 1_400)).toEqual({ state: 'draining' });
    // no group offset for partition 1 counts all of it
    expect(watch.observe([{ partition: 0, offset: 90 }], 1_600)).toEqual({
      state: 'stalled',
      behind: 2,
      left: 60,
    });
  });

  it('a group that never commits stalls after the stall time', () => {
    const watch = new DrainWatch(ends, 1_000, 0);
    expect(watch.observe([], 999)).toEqual({ state: 'draining' });
    expect(watch.observe([], 1_001)).toEqual({ state: 'stalled', behind: 2, left: 150 });
  });

  it('counts a partition the group never committed on from its log start, not from 0', () => {
    const watch = new DrainWatch([{ partition: 0, low: 40, high: 100 }], 1_000, 0);
    expect(watch.observe([{ partition: 0, offset: -1 }], 1_001)).toEqual({
      state: 'stalled',
      behind: 1,
      left: 60,
    });
  });
});
