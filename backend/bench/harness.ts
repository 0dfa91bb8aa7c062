/**
 * The benchmark harness: warm-up then measured rounds, polling, and an RSS sampler reading
 * /proc/<pid>/status. Figures and statistics live in report.ts and stats.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

import { waitFor } from '#src/common/index.js';

export { withTimeout } from '#src/common/index.js';

export const sleep = (ms: number): Promise<void> => delay(ms);

/** Progress lines go to stderr, so stdout holds only the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export interface RoundPlan {
  warmup: number;
  rounds: number;
}

export interface RoundSamples {
  warmup: number[];
  samples: number[];
}

/**
 * Runs `measure` `plan.warmup` times (results kept apart) and then `plan.rounds` times. Each call
 * returns one sample (a rate, a duration...); `round` counts from 0 across warm-up and rounds.
 */
export async function inRounds(
  label: string,
  plan: RoundPlan,
  unit: string,
  measure: (round: number, warmup: boolean) => Promise<number>,
  log: (message: string) => void = progress,
): Promise<RoundSamples> {
  const result: RoundSamples = { warmup: [], samples: [] };
  const total = plan.warmup + plan.rounds;
  for (let round = 0; round < total; round++) {
    const warmup = round < plan.warmup;
    const value = await measure(round, warmup);
    (warmup ? result.warmup : result.samples).push(value);
    const which = warmup
      ? `warm-up ${round + 1}/${plan.warmup}`
      : `round ${round - plan.warmup + 1}/${plan.rounds}`;
    log(`${label}: ${which}: ${Math.round(value).toLocaleString('en')} ${unit}`);
  }
  return result;
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { intervalMs = 100, timeoutMs = 120_000 } = {},
): Promise<T> {
  const found = await waitFor(
    async () => {
      const value = await check();
      // boxed, so that a check answering false has answered
      return value === undefined ? undefined : { value };
    },
    {
      everyMs: intervalMs,
      timeoutMs,
      // a group's coordinator moving or loading (a busy cluster): the next poll asks again
      notYet: (error) => (error as { retriable?: unknown }).retriable === true,
    },
  );
  if (!found) {
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
  }
  return found.value;
}

export interface MemoryReading {
  /** Resident set size now (VmRSS). */
  rssBytes: number;
  /** Peak resident set size since start or since the last reset (VmHWM). */
  hwmBytes: number;
}

/** Parses VmRSS and VmHWM out of the text of /proc/<pid>/status (values are in kB). */
export function parseProcStatus(text: string): MemoryReading | undefined {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rssBytes = kb('VmRSS');
  const hwmBytes = kb('VmHWM');
  return rssBytes === undefined || hwmBytes === undefined ? undefined : { rssBytes, hwmBytes };
}

/** The memory of a live process, or undefined once it has exited. */
export function readMemory(pid: number): MemoryReading | undefined {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Resets a process's VmHWM to its current RSS (Linux `clear_refs` 5); false when not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const megabytes = (bytes: number): number => bytes / 1024 / 1024;

export interface MemorySeries {
  pid: number;
  /** RSS samples, MB. */
  rssMb: number[];
  /** The last VmHWM read, MB (the peak since the process started or since `resetPeakRss`). */
  hwmMb: number | undefined;
  /** Whether VmHWM was reset when sampling started (otherwise it covers the whole process life). */
  hwmReset: boolean;
}

/** Samples the RSS of named processes every `intervalMs` from /proc, and their VmHWM. */
export class RssSampler {
  private readonly series = new Map<string, MemorySeries>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly intervalMs = 200) {}

  /** Starts following a process; resets its VmHWM so the peak covers the sampling period. */
  track(name: string, pid: number): void {
    this.series.set(name, { pid, rssMb: [], hwmMb: undefined, hwmReset: resetPeakRss(pid) });
    this.sample();
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer === undefined) {
      return;
    }
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  results(): ReadonlyMap<string, MemorySeries> {
    return this.series;
  }

  private sample(): void {
    for (const series of this.series.values()) {
      const reading = readMemory(series.pid);
      if (!reading) {
        continue;
      }
      series.rssMb.push(megabytes(reading.rssBytes));
      series.hwmMb = megabytes(reading.hwmBytes);
    }
  }
}
