// A long wait is never silent: while something runs, say every few seconds what is being waited for.

/** How often a wait reports itself: a cold first start must never look stuck for more than 5 s. */
export const PROGRESS_EVERY_MS = 4_000;

/**
 * Resolves as `work` does; meanwhile logs `describe()` and the time waited every `everyMs`.
 * `describe` is called at each tick, so it can say how far the work has got.
 */
export async function reportWhile(work, { log, describe, everyMs = PROGRESS_EVERY_MS }) {
  const started = Date.now();
  const timer = setInterval(() => {
    log(`${describe()} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

const UNITS = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/** What a Maven log says was downloaded so far: `Downloaded from central: <url> (151 kB at 305 kB/s)` lines. */
export function mavenDownloads(logText) {
  let files = 0;
  let bytes = 0;
  for (const match of logText.matchAll(/^\[INFO\] Downloaded from [^(\n]*\(([\d.]+) (B|kB|KB|MB|GB) at /gm)) {
    files += 1;
    bytes += Number(match[1]) * UNITS[match[2]];
  }
  return { files, bytes };
}
