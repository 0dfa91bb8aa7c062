import { setTimeout as sleep } from 'node:timers/promises';
import { inRounds, parseProcStatus, pollUntil, readMemory, RssSampler, withTimeout } from './harness.js';

const STATUS = `Name:\tnode
VmPeak:\t 1234567 kB
VmHWM:\t  250000 kB
VmRSS:\t  200000 kB
Threads:\t11
`;

describe('bench harness', () => {
  it('keeps warm-up rounds apart from measured rounds', async () => {
    const logged: string[] = [];
    const calls: Array<[number, boolean]> = [];
    const result = await inRounds(
      'test',
      { warmup: 1, rounds: 3 },
      'x/s',
      (round, warmup) => {
        calls.push([round, warmup]);
        return Promise.resolve(100 + round);
      },
      (line) => logged.push(line),
    );
    expect(calls).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(result).toEqual({ warmup: [100], samples: [101, 102, 103] });
    expect(logged).toEqual([
      'test: warm-up 1/1: 100 x/s',
      'test: round 1/3: 101 x/s',
      'test: round 2/3: 102 x/s',
      'test: round 3/3: 103 x/s',
    ]);
  });

  it('reads VmRSS and VmHWM (kB) from /proc/<pid>/status', () => {
    expect(parseProcStatus(STATUS)).toEqual({ rssBytes: 200_000 * 1024, hwmBytes: 250_000 * 1024 });
    expect(parseProcStatus('Name:\tkthreadd\n')).toBeUndefined();
  });

  it('samples the RSS of a live process, and nothing of one that does not exist', async () => {
    const own = readMemory(process.pid);
    expect(own?.rssBytes).toBeGreaterThan(0);
    expect(readMemory(2 ** 31 - 1)).toBeUndefined();
    const sampler = new RssSampler(10);
    sampler.track('self', process.pid);
    sampler.start();
    await sleep(50);
    sampler.stop();
    const series = sampler.results().get('self')!;
    expect(series.rssMb.length).toBeGreaterThan(1);
    expect(series.hwmMb).toBeGreaterThanOrEqual(Math.max(...series.rssMb) - 1);
  });

  it('polls until a value comes, and times out saying what it waited for', async () => {
    let n = 0;
    await expect(
      pollUntil('n to reach 3', () => Promise.resolve(++n >= 3 ? n : undefined), { intervalMs: 1 }),
    ).resolves.toBe(3);
    await expect(
      pollUntil('never', () => Promise.resolve(undefined), { intervalMs: 1, timeoutMs: 20 }),
    ).rejects.toThrow('waiting for never');
    await expect(
      withTimeout(new Promise(() => undefined), 10, 'a promise that never settles'),
    ).rejects.toThrow('a promise that never settles');
  });

  it('polls again after a retriable error (a coordinator moving), and gives up at once on any other', async () => {
    const notCoordinator = Object.assign(new Error('This is not the correct coordinator for this group'), {
      retriable: true,
    });
    let n = 0;
    await expect(
      pollUntil('the group', () => (++n < 3 ? Promise.reject(notCoordinator) : Promise.resolve(n)), {
        intervalMs: 1,
      }),
    ).resolves.toBe(3);
    await expect(
      pollUntil('a live processor', () => Promise.reject(new Error('a processor exited')), { intervalMs: 1 }),
    ).rejects.toThrow('a processor exited');
  });
});
