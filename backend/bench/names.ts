/**
 * Names of what one benchmark run creates, all derived from its start time (`20260501t120405`): topics
 * and consumer groups `bench-<stamp>-...`, keyspace `<base>_<stamp>`. A run deletes its own at the end;
 * one that was killed leaves them behind, and the next run sweeps those older than an hour.
 */

export const stampOf = (at: Date): string =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .toLowerCase();

/** The time a stamp stands for, or undefined when it is not one. */
export function stampTime(stamp: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!match) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
}

export const topicPrefix = (stamp: string): string => `bench-${stamp}-`;
export const benchKeyspace = (base: string, stamp: string): string => `${base}_${stamp}`;

const TOPIC = /^bench-(\d{8}t\d{6})-/;

/** Stamps of bench runs that left topics or groups and started more than `maxAgeMs` before `now`. */
export function staleTopicStamps(names: readonly string[], now: Date, maxAgeMs: number): string[] {
  return stale(
    names.map((name) => TOPIC.exec(name)?.[1]),
    now,
    maxAgeMs,
  );
}

/** Keyspaces `<base>_<stamp>` of bench runs started more than `maxAgeMs` before `now`. */
export function staleKeyspaces(
  names: readonly string[],
  base: string,
  now: Date,
  maxAgeMs: number,
): string[] {
  const stamps = stale(
    names.map((name) => (name.startsWith(`${base}_`) ? name.slice(base.length + 1) : undefined)),
    now,
    maxAgeMs,
  );
  return stamps.map((stamp) => benchKeyspace(base, stamp));
}

function stale(stamps: readonly (string | undefined)[], now: Date, maxAgeMs: number): string[] {
  const found = new Set<string>();
  for (const stamp of stamps) {
    const at = stamp === undefined ? undefined : stampTime(stamp);
    if (stamp && at && now.getTime() - at.getTime() > maxAgeMs) {
      found.add(stamp);
    }
  }
  return [...found];
}
