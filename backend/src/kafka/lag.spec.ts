import { groupLag, partitionLag, totalLag } from './lag.js';

describe('partitionLag', () => {
  it('is the high watermark minus the committed offset', () => {
    expect(partitionLag(40, 0, 100)).toBe(60);
    expect(partitionLag(40, 30, 100)).toBe(60);
  });

  it('is 0 for a consumer caught up with the log end', () => {
    expect(partitionLag(100, 0, 100)).toBe(0);
    expect(partitionLag(100, 100, 100)).toBe(0);
  });

  it('counts everything still in the log (from the log start, not 0) when nothing is committed', () => {
    expect(partitionLag(-1, 30, 100)).toBe(70);
    expect(partitionLag(null, 30, 100)).toBe(70);
    expect(partitionLag(null, 0, 100)).toBe(100);
    expect(partitionLag(-1, 0, 0)).toBe(0);
    // a log emptied by retention: nothing left to read
    expect(partitionLag(null, 100, 100)).toBe(0);
  });

  it('counts from a position of 0 as from any other (0 is a committed offset, not none)', () => {
    expect(partitionLag(0, 0, 100)).toBe(100);
  });

  it('counts from a committed offset that retention has passed (the records are gone, the lag is not)', () => {
    expect(partitionLag(10, 50, 100)).toBe(90);
  });

  it('is never negative, even for an offset beyond the log end (a truncated log)', () => {
    expect(partitionLag(120, 0, 100)).toBe(0);
    expect(partitionLag(101, 100, 100)).toBe(0);
  });
});

describe('totalLag', () => {
  it('sums the partitions, 0 for none', () => {
    expect(totalLag([{ lag: 3 }, { lag: 0 }, { lag: 4 }])).toBe(7);
    expect(totalLag([])).toBe(0);
  });
});

describe('groupLag', () => {
  const watermarks = new Map([
    [
      'orders',
      [
        { partition: 0, low: 0, high: 10 },
        { partition: 1, low: 5, high: 20 },
        { partition: 2, low: 0, high: 7 },
      ],
    ],
  ]);

  it('reports each committed partition, and assigned ones not yet committed as lagging by their whole log', () => {
    const lags = groupLag(
      [
        { topic: 'orders', partition: 1, offset: 12 },
        { topic: 'orders', partition: 0, offset: 10 },
      ],
      watermarks,
      [{ topic: 'orders', partitions: [0, 1, 2] }],
    );
    expect(lags).toEqual([
      { topic: 'orders', partition: 0, committed: 10, low: 0, high: 10, lag: 0 },
      { topic: 'orders', partition: 1, committed: 12, low: 5, high: 20, lag: 8 },
      { topic: 'orders', partition: 2, committed: null, low: 0, high: 7, lag: 7 },
    ]);
    expect(totalLag(lags)).toBe(15);
  });

  it('leaves out partitions of topics it has no watermarks for (deleted since)', () => {
    expect(groupLag([{ topic: 'gone', partition: 0, offset: 3 }], watermarks)).toEqual([]);
  });

  it('treats a committed -1 as nothing committed', () => {
    expect(groupLag([{ topic: 'orders', partition: 1, offset: -1 }], watermarks)).toEqual([
      { topic: 'orders', partition: 1, committed: null, low: 5, high: 20, lag: 15 },
    ]);
  });
});
