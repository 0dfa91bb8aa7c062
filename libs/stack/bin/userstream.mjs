#!/usr/bin/env node
// userstream CLI: `start`, `test` and `stack up|down|reset|status|logs`. Root package.json maps
// `npm start`, `npm test` and `npm run stack:*` here.
import {
  LOG_NAMES,
  StackError,
  databaseUrl,
  stackDown,
  stackLogs,
  stackStatus,
  stackUp,
} from '../src/index.mjs';
import { bench, start, test } from '../src/workflow.mjs';

const USAGE = `usage: userstream start | test | stack <command>
  start              install if needed, bring the stack up, migrate, run backend and dashboard
  test [int|e2e|faults]
                     install if needed, bring the test stack up, run every check and test suite (or the
                     one named), stop the test stack
  --- the test stack: its own Kafka (19092) and Cassandra (19042) and data in .run/test, for npm test,
      npm run test:int|test:e2e|test:faults and npm run bench; a running npm start is never touched.
      USERSTREAM_STACK=test points the stack commands below at it.
  bench all [--quick] every benchmark case (produce, Cassandra, end to end, scale-out, memory, live);
                     table on stdout, JSON in bench/results/
  bench pipeline [N] end-to-end users/s of an N-user synthetic run (default 100,000)
  up [kafka|cassandra]
                     start Kafka and Cassandra (or the one named), make sure PostgreSQL answers (DATABASE_URL)
  down [kafka|cassandra] [--wipe]
                     stop what "up" started (or the one named); --wipe also deletes their data
  reset              same as down --wipe
  status [--json]    state, pid, port, RSS (now, peak) and uptime of each server
  logs [name] [-f] [-n N]
                     tail of the logs (${LOG_NAMES.join(', ')}); -f follows them
env: STACK_TIMEOUT_SECONDS (start timeout, default kafka 60, cassandra 150), DATABASE_URL, JAVA_HOME`;

const flag = (args, ...names) => names.some((n) => args.includes(n));

function optionValue(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

function formatBytes(bytes) {
  return bytes ? `${Math.round(bytes / 1024 / 1024)} MB` : '-';
}

function formatUptime(total) {
  if (total === null || total === undefined) return '-';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h}h${m}m` : m ? `${m}m${s}s` : `${s}s`;
}

function printStatus(entries) {
  const rows = entries.map((e) => [
    e.name,
    e.state,
    e.pid ? `pid ${e.pid}` : '-',
    `port ${e.port}`,
    `rss ${formatBytes(e.rssBytes)}`,
    `peak ${formatBytes(e.peakRssBytes)}`,
    `up ${formatUptime(e.uptimeSeconds)}`,
    e.detail ?? '',
  ]);
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    );
}

/** `up kafka`, `down cassandra`: one server only (the fault suite stops and starts them). */
function onlyServices(args) {
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((name) => !['kafka', 'cassandra'].includes(name));
  if (unknown.length) throw new StackError(`unknown server ${unknown.join(', ')}: kafka or cassandra`);
  return names.length ? names : undefined;
}

const commands = {
  up: (args) => {
    const only = onlyServices(args);
    return stackUp({ databaseUrl: only ? undefined : databaseUrl(), only });
  },
  down: (args) => stackDown({ wipe: flag(args, '--wipe'), only: onlyServices(args) }),
  reset: () => stackDown({ wipe: true }),
  status: async (args) => {
    const status = await stackStatus();
    if (flag(args, '--json')) console.log(JSON.stringify(status, null, 2));
    else printStatus(Object.values(status));
  },
  logs: (args) => {
    const name = args.find((a) => !a.startsWith('-') && !/^\d+$/.test(a));
    return stackLogs({ name, follow: flag(args, '-f', '--follow'), lines: optionValue(args, '-n', 40) });
  },
};

async function main(argv) {
  const [group, command, ...args] = argv;
  if (group === 'start' && argv.length === 1) return start();
  if (group === 'test' && argv.length <= 2) return test(command);
  if (group === 'bench' && command) return bench(command, args);
  if (group !== 'stack' || !commands[command]) {
    console.error(USAGE);
    return 2;
  }
  await commands[command](args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof StackError ? err.message : (err?.stack ?? String(err)));
    process.exitCode = 1;
  },
);
