import { TopicException } from '#src/kafka/topic.exception.js';
import { newOffset, planReset, resolveTarget, timestampOf } from './offset-reset.js';

const marks = [
  { partition: 1, low: 5, high: 20 },
  { partition: 0, low: 0, high: 10 },
];

describe('resolveTarget and newOffset', () => {
  it('moves to the oldest record or the end of the log', () => {
    expect(newOffset(resolveTarget('earliest'), marks[0]!)).toBe(5);
    expect(newOffset(resolveTarget('latest'), marks[0]!)).toBe(20);
  });

  it('moves to the offset found for a time, the end where none was, clamped into the log', () => {
    const target = resolveTarget(
      { timestamp: 1_000 },
      new Map([
        [0, 4],
        [1, -1],
      ]),
    );
    expect(newOffset(target, marks[1]!)).toBe(4);
    expect(newOffset(target, marks[0]!)).toBe(20);
    expect(newOffset(resolveTarget({ timestamp: 1 }, new Map([[1, 2]])), marks[0]!)).toBe(5);
    expect(newOffset(resolveTarget({ timestamp: 1 }), marks[1]!)).toBe(10);
  });

  it('tells which targets need a time look-up', () => {
    expect(timestampOf({ timestamp: 7 })).toBe(7);
    expect(timestampOf('latest')).toBeUndefined();
    expect(timestampOf({ offset: 7 })).toBeUndefined();
  });
});

describe('planReset', () => {
  it('gives each partition its committed and new offset with the lag before and after, by partition', () => {
    const plan = planReset(resolveTarget('earliest'), marks, new Map([[0, 8]]));
    expect(plan).toEqual([
      { partition: 0, committed: 8, newOffset: 0, low: 0, high: 10, lag: 2, newLag: 10 },
      { partition: 1, committed: null, newOffset: 5, low: 5, high: 20, lag: 15, newLag: 15 },
    ]);
    expect(planReset(resolveTarget('latest'), marks, new Map()).map((entry) => entry.newLag)).toEqual([0, 0]);
  });

  it('takes an exact offset within every chosen log, and refuses one outside any of them', () => {
    expect(planReset(resolveTarget({ offset: 7 }), marks, new Map()).map((e) => e.newLag)).toEqual([3, 13]);
    expect(planReset(resolveTarget({ offset: 10 }), [marks[1]!], new Map())[0]?.newLag).toBe(0);
    let refused: unknown;
    try {
      planReset(resolveTarget({ offset: 3 }), marks, new Map());
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TopicException);
    expect(refused).toMatchObject({
      code: 'OFFSET_OUT_OF_RANGE',
      response: { details: [{ field: 'to.offset', message: 'partition 1 holds offsets 5 to 20' }] },
    });
    expect(() => planReset(resolveTarget({ offset: 11 }), [marks[1]!], new Map())).toThrow(TopicException);
  });
});
