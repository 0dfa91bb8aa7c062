#!/usr/bin/env node
// userstream CLI: `start`, `test` and `stack up|down|reset|status|logs`. Root package.json maps
// `npm start`, `npm test` and `npm run stack:*` here.
import {
  MAX_NODES,
  StackError,
  databaseUrl,
  parseNodes,
  stackClientEnv,
  stackDown,
  stackLogs,
  stackStatus,
  stackUp,
} from '../src/index.mjs';
import { bench, start, test } from '../src/workflow.mjs';

const USAGE = `usage: userstream start | test | stack <command>
  start              install if needed, bring the stack up, migrate, run backend and dashboard
  test [int|security|e2e|faults|cluster]
                     install if needed, bring the test stack up, run every check and test suite (or the
                     one named), stop the test stack; cluster (not part of the whole run) brings the test stack
                     up with 3 nodes of each and kills one under a running pipeline
  --- the test stack: its own Kafka (19092) and Cassandra (19042) and data in .run/test, for npm test,
      npm run test:int|test:security|test:e2e|test:faults and npm run bench; a running npm start is never touched.
      USERSTREAM_STACK=test points the stack commands below at it.
  bench all [--quick] every benchmark case (produce, Cassandra, end to end, scale-out, memory, live);
                     table on stdout, JSON in bench/results/
  bench pipeline [N] end-to-end users/s of an N-user synthetic run (default 100,000)
  up [--nodes N] [server...]
                     start Kafka and Cassandra (or the servers named), make sure PostgreSQL answers
                     (DATABASE_URL). --nodes N (1-${MAX_NODES}, remembered): N brokers on ports 9092, 9094, ... and
                     N Cassandra nodes on 127.0.0.1 ... 127.0.0.N; npm start then uses them all
  down [server...] [--wipe]
                     stop what "up" started (or the servers named); --wipe also deletes their data
  reset              same as down --wipe
  status [--json]    state, pid, address, RSS (now, peak) and uptime of each server
  logs [name] [-f] [-n N]
                     tail of the logs (kafka, cassandra, postgres; kafka-1, cassandra-2 ... in a cluster);
                     -f follows them
  a server is kafka or cassandra (every node of it), or one node of a cluster: kafka-2, cassandra-3
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
    `${e.host}:${e.port}`,
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

/** `up kafka`, `down cassandra-2`: some servers only (the fault suites stop and start them). */
function onlyServices(args) {
  const names = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--nodes');
  const unknown = names.filter((name) => !/^(kafka|cassandra)(-\d+)?$/.test(name));
  if (unknown.length) {
    throw new StackError(`unknown server ${unknown.join(', ')}: kafka, cassandra, or a node such as kafka-2`);
  }
  return names.length ? names : undefined;
}

const commands = {
  up: async (args) => {
    const only = onlyServices(args);
    const i = args.indexOf('--nodes');
    const nodes = i >= 0 ? parseNodes(args[i + 1]) : undefined;
    await stackUp({ databaseUrl: only ? undefined : databaseUrl(), only, nodes });
    const env = stackClientEnv();
    if (env.KAFKA_BROKERS.includes(',')) {
      console.log(`point the product at it: KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
      console.log(`                         CASSANDRA_CONTACT_POINTS=${env.CASSANDRA_CONTACT_POINTS}`);
    }
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
