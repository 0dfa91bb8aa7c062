import { MISSED_FIRING_GRACE_MS, nextFiring, nextFirings, planFiring } from './next-firing.js';

const at = (iso: string) => new Date(iso);

describe('nextFiring', () => {
  it('is strictly after the given time, seconds field included', () => {
    expect(nextFiring('*/2 * * * * *', 'UTC', at('2025-01-01T00:00:02.000Z'))).toEqual(
      at('2025-01-01T00:00:04.000Z'),
    );
    expect(nextFiring('*/2 * * * * *', 'UTC', at('2025-01-01T00:00:01.500Z'))).toEqual(
      at('2025-01-01T00:00:02.000Z'),
    );
  });

  it("follows the schedule's time zone", () => {
    expect(nextFiring('0 0 * * *', 'Europe/Paris', at('2025-01-01T00:00:00.000Z'))).toEqual(
      at('2025-01-01T23:00:00.000Z'),
    );
  });
});

describe('nextFirings', () => {
  it("previews the next firings in the schedule's time zone, across a daylight saving change", () => {
    // 02:30 every day in Paris; clocks go forward on 2025-03-30 (no 02:30 that day)
    const firings = nextFirings('30 2 * * *', 'Europe/Paris', at('2025-03-28T12:00:00.000Z'), 5);
    expect(firings).toHaveLength(5);
    expect(firings[0]).toEqual(at('2025-03-29T01:30:00.000Z')); // CET, UTC+1
    expect(firings.at(-1)!.getTime()).toBeGreaterThan(at('2025-04-01T00:00:00.000Z').getTime());
    for (let i = 1; i < firings.length; i++) {
      expect(firings[i]!.getTime()).toBeGreaterThan(firings[i - 1]!.getTime());
    }
    // after the change, 02:30 CEST is 00:30 UTC
    expect(firings.map((firing) => firing.toISOString())).toContain('2025-04-01T00:30:00.000Z');
  });

  it('is strictly after the given time and counts what is asked', () => {
    expect(nextFirings('0 * * * *', 'UTC', at('2025-01-01T00:00:00.000Z'), 3)).toEqual([
      at('2025-01-01T01:00:00.000Z'),
      at('2025-01-01T02:00:00.000Z'),
      at('2025-01-01T03:00:00.000Z'),
    ]);
  });
});

describe('planFiring', () => {
  const everyMinute = { cron: '* * * * *', timezone: 'UTC', catchUp: 'skip' as const };

  it('a firing claimed on time starts a run and moves to the next slot', () => {
    const due = at('2025-01-01T00:01:00.000Z');
    expect(planFiring(everyMinute, due, at('2025-01-01T00:01:00.020Z'))).toEqual({
      next: at('2025-01-01T00:02:00.000Z'),
      start: true,
      caughtUp: false,
    });
  });

  it('a timer that fired a little early still moves past the due slot, not onto it', () => {
    const due = at('2025-01-01T00:01:00.000Z');
    expect(planFiring(everyMinute, due, at('2025-01-01T00:00:59.999Z')).next).toEqual(
      at('2025-01-01T00:02:00.000Z'),
    );
  });

  it('a firing missed for long is skipped, and the next one is in the future, not the missed ones', () => {
    const due = at('2025-01-01T00:01:00.000Z');
    const now = new Date(due.getTime() + MISSED_FIRING_GRACE_MS + 3_600_000 + 30_000);
    expect(planFiring(everyMinute, due, now)).toEqual({
      next: at('2025-01-01T01:03:00.000Z'),
      start: false,
      caughtUp: false,
    });
  });

  it("under 'latest', a gap of missed firings starts one run, once, and moves on to the future", () => {
    const due = at('2025-01-01T00:01:00.000Z');
    const now = at('2025-01-01T05:00:30.000Z');
    expect(planFiring({ ...everyMinute, catchUp: 'latest' }, due, now)).toEqual({
      next: at('2025-01-01T05:01:00.000Z'),
      start: true,
      caughtUp: true,
    });
  });

  it("under 'latest', a firing claimed on time is an ordinary one", () => {
    const due = at('2025-01-01T00:01:00.000Z');
    expect(planFiring({ ...everyMinute, catchUp: 'latest' }, due, at('2025-01-01T00:01:01.000Z'))).toEqual({
      next: at('2025-01-01T00:02:00.000Z'),
      start: true,
      caughtUp: false,
    });
  });
});
