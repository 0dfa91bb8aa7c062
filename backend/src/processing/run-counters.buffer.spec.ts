import { jest } from '@jest/globals';
import type { RunsRepository } from '#src/run-store/index.js';
import { RunCountersBuffer } from './run-counters.buffer.js';

type Saved = [string, { processed: number; stored: number; deadLettered: number }];

/** PostgreSQL as the buffer sees it: each UPDATE waits until the test lets it through, or fails. */
function runsStandIn() {
  const saved: Saved[] = [];
  const waiting: { save: () => void; fail: () => void }[] = [];
  const runs = {
    incrementCounters: (id: string, delta: Saved[1]) =>
      new Promise<void>((resolve, reject) =>
        waiting.push({
          save: () => {
            saved.push([id, { ...delta }]);
            resolve();
          },
          fail: () => reject(new Error('connection refused')),
        }),
      ),
  };
  return { runs: runs as unknown as RunsRepository, saved, waiting };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunCountersBuffer', () => {
  it('sums deltas per run, and a flush called during another one also saves what was added since', async () => {
    const { runs, saved, waiting } = runsStandIn();
    const buffer = new RunCountersBuffer(runs);
    buffer.add('a', { processed: 2, stored: 2 });
    buffer.add('a', { processed: 1, deadLettered: 1 });
    buffer.add(null, { processed: 5 });
    const first = buffer.flush();
    await settle();
    buffer.add('a', { processed: 3, stored: 3 });
    let secondDone = false;
    const second = buffer.flush().then((ok) => {
      secondDone = true;
      return ok;
    });
    waiting.shift()!.save();
    expect(await first).toBe(true);
    await settle();
    // the first save held only what was added before it began: the second waits for its own
    expect(secondDone).toBe(false);
    waiting.shift()!.save();
    expect(await second).toBe(true);
    expect(saved).toEqual([
      ['a', { processed: 3, stored: 2, deadLettered: 1 }],
      ['a', { processed: 3, stored: 3, deadLettered: 0 }],
    ]);
  });

  it('keeps what PostgreSQL refused for the next flush, and says the flush did not save it', async () => {
    const { runs, saved, waiting } = runsStandIn();
    const buffer = new RunCountersBuffer(runs);
    jest.spyOn(buffer['logger'], 'warn').mockImplementation(() => undefined);
    jest.spyOn(buffer['logger'], 'log').mockImplementation(() => undefined);
    buffer.add('a', { processed: 1, stored: 1 });
    buffer.add('b', { processed: 4, stored: 4 });
    const failed = buffer.flush();
    await settle();
    waiting.shift()!.fail();
    expect(await failed).toBe(false);
    const again = buffer.flush();
    await settle();
    waiting.shift()!.save();
    await settle();
    waiting.shift()!.save();
    expect(await again).toBe(true);
    expect(saved).toEqual([
      ['a', { processed: 1, stored: 1, deadLettered: 0 }],
      ['b', { processed: 4, stored: 4, deadLettered: 0 }],
    ]);
  });

  it('warns once when saving starts failing, not at every commit, and says when it saves again', async () => {
    const { runs, waiting } = runsStandIn();
    const buffer = new RunCountersBuffer(runs);
    const logger = buffer['logger'];
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const debug = jest.spyOn(logger, 'debug').mockImplementation(() => undefined);
    const log = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    /** One flush of the single pending run, its UPDATE answered as `answer`: whether the flush saved it. */
    const flushAnswered = async (answer: 'save' | 'fail') => {
      const flushed = buffer.flush();
      await settle();
      waiting.shift()![answer]();
      return flushed;
    };
    buffer.add('a', { processed: 1, stored: 1 });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await flushAnswered('fail')).toBe(false);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^run counters not saved \(.+\); kept, and tried again at each commit$/,
    );
    expect(debug).toHaveBeenCalledTimes(2);
    expect(log).not.toHaveBeenCalled();

    expect(await flushAnswered('save')).toBe(true);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(
      /^run counters saved again, \d+\.\d s after saving them first failed$/,
    );

    // a later outage is told again
    buffer.add('a', { processed: 1, stored: 1 });
    expect(await flushAnswered('fail')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
