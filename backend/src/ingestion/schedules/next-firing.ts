import { CronTime } from 'cron';
import type { CatchUpPolicy } from '@userstream/contracts';

/** A firing due longer ago than this (every backend was down at the time) is skipped, not caught up. */
export const MISSED_FIRING_GRACE_MS = 60_000;

/** The first firing of `cron` in `timezone` strictly after `after`. */
export function nextFiring(cron: string, timezone: string, after: Date): Date {
  return new CronTime(cron, timezone).getNextDateFrom(after, timezone).toJSDate();
}

/** The next `count` firings of `cron` in `timezone` strictly after `after`, increasing. */
export function nextFirings(cron: string, timezone: string, after: Date, count: number): Date[] {
  const firings: Date[] = [];
  for (let from = after; firings.length < count; ) {
    from = nextFiring(cron, timezone, from);
    firings.push(from);
  }
  return firings;
}

/**
 * What the backend that claims the firing due at `due` does, at `now`: the firing after it (never one in the
 * past, so missed firings are not replayed one by one), and whether to start a run. A firing missed by more
 * than MISSED_FIRING_GRACE_MS (no backend was up) starts none under the `skip` policy, and one, for the
 * latest of the missed firings, under `latest`; `caughtUp` says the run is such a late one.
 */
export function planFiring(
  schedule: { cron: string; timezone: string; catchUp: CatchUpPolicy },
  due: Date,
  now: Date,
): { next: Date; start: boolean; caughtUp: boolean } {
  const from = now > due ? now : due;
  const missed = now.getTime() - due.getTime() > MISSED_FIRING_GRACE_MS;
  return {
    next: nextFiring(schedule.cron, schedule.timezone, from),
    start: !missed || schedule.catchUp === 'latest',
    caughtUp: missed && schedule.catchUp === 'latest',
  };
}
