#!/usr/bin/env node
// userstream CLI: `start`, `test` and `stack up|down|reset|status|logs`. Root package.json maps
// `npm start`, `npm test` and `npm run stack:*` here. Nothing is loaded from node_modules up front: the commands
// that need it (start, test, bench, stack up and stack status) install it first.
import { parseArgs } from 'node:util';
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
import { bench, ensureDrivers, start, test } from '../src/workflow.mjs';

const USAGE = `usage: userstream start | test | bench <name> | stack <command> | help
  start              install if needed, bring the stack up, migrate, run backend and dashboard
  test [int|security|e2e|faults|cluster]
                     install if needed, bring the test stack up, run every check and test suite (or the
                     one named), stop the test stack; cluster (not part of the whole run) brings the test stack
                     up with 3 nodes of each and kills one under a running pipeline
  --- the test stack: its own Kafka (19092) and Cassandra (19042) and data in .run/test, for npm test,
      npm run test:int|test:security|test:e2e|test:faults and npm run bench; a running npm start is never touched.
      USERSTREAM_STACK=test points the stack commands below at it.
  bench all [--quick] [--only=N,...] [--nodes N]
                     every benchmark case (produce, Cassandra, end to end, scale-out, memory, live), or the
                     ones numbered; table on stdout, JSON in bench/results/
  bench pipeline [N] [--nodes N]
                     end-to-end users/s of an N-user synthetic run (default 100,000)
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
  help               this text (an unknown option or argument prints it too)
env: STACK_TIMEOUT_SECONDS (start timeout, default kafka 60, cassandra 150), DATABASE_URL, JAVA_HOME`;

/** A command line the usage does not allow: said with the usage, exit code 2. */
class UsageError extends Error {}

/**
 * `args` through util.parseArgs, strictly: an unknown option, a missing value or an argument too many is a
 * UsageError naming it. `positionals` is how many plain arguments the command takes.
 */
function parse(command, args, options = {}, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    if (!String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw error;
    }
    throw new UsageError(`${command}: ${error.message}`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`${command}: unexpected argument '${parsed.positionals[positionals]}'`);
  }
  return parsed;
}

/** A whole number given to `name`, or `fallback` when it was not given. */
function count(command, name, text, fallback) {
  if (text === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`${command}: ${name} ${text}: a whole number`);
  }
  return Number(text);
}

function formatBytes(bytes) {
  return bytes ? `${Math.round(bytes / 1024 / 1024)} MB` : '-';
}

function formatUptime(total) {
  if (total === null || total === undefined) {
    return '-';
  }
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
  for (const row of rows) {
    console.log(
      row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    );
  }
}

/** `up kafka`, `down cassandra-2`: some servers only (the fault suites stop and start them). */
function onlyServices(names) {
  const unknown = names.filter((name) => !/^(kafka|cassandra)(-\d+)?$/.test(name));
  if (unknown.length) {
    throw new StackError(`unknown server ${unknown.join(', ')}: kafka, cassandra, or a node such as kafka-2`);
  }
  return names.length ? names : undefined;
}

const commands = {
  up: async (args) => {
    const { values, positionals } = parse('stack up', args, { nodes: { type: 'string' } }, Infinity);
    const only = onlyServices(positionals);
    const nodes = values.nodes === undefined ? undefined : parseNodes(values.nodes);
    // the readiness checks use the product's drivers: node_modules first
    await ensureDrivers();
    await stackUp({ databaseUrl: only ? undefined : databaseUrl(), only, nodes });
    const env = stackClientEnv();
    if (env.KAFKA_BROKERS.includes(',')) {
      console.log(`point the product at it: KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
      console.log(`                         CASSANDRA_CONTACT_POINTS=${env.CASSANDRA_CONTACT_POINTS}`);
    }
  },
  down: (args) => {
    const { values, positionals } = parse('stack down', args, { wipe: { type: 'boolean' } }, Infinity);
    return stackDown({ wipe: values.wipe === true, only: onlyServices(positionals) });
  },
  reset: (args) => {
    parse('stack reset', args);
    return stackDown({ wipe: true });
  },
  status: async (args) => {
    const { values } = parse('stack status', args, { json: { type: 'boolean' } });
    await ensureDrivers();
    const status = await stackStatus();
    if (values.json) {
      console.log(JSON.stringify(status, null, 2));
    } else {
      printStatus(Object.values(status));
    }
  },
  logs: (args) => {
    const options = { follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } };
    const { values, positionals } = parse('stack logs', args, options, 1);
    const lines = count('stack logs', '-n', values.lines, 40);
    return stackLogs({ name: positionals[0], follow: values.follow === true, lines });
  },
};

/** `bench all [--quick] [--only=N,M]`, `bench pipeline [N]`, either with `--nodes N`. */
function benchCommand(name, args) {
  const options = { nodes: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } };
  const { values, positionals } = parse(`bench ${name}`, args, options, 1);
  const rest = [
    ...(values.quick ? ['--quick'] : []),
    ...(values.only === undefined ? [] : [`--only=${values.only}`]),
    ...positionals,
  ];
  return bench(name, { nodes: values.nodes === undefined ? 1 : parseNodes(values.nodes), args: rest });
}

async function main(argv) {
  const [group, command, ...args] = argv;
  if (['help', '--help', '-h'].includes(group) && argv.length === 1) {
    console.log(USAGE);
    return 0;
  }
  if (group === 'start') {
    parse('start', argv.slice(1));
    return start();
  }
  if (group === 'test') {
    return test(parse('test', argv.slice(1), {}, 1).positionals[0]);
  }
  if (group === 'bench' && command && !command.startsWith('-')) {
    return benchCommand(command, args);
  }
  if (group !== 'stack' || !Object.hasOwn(commands, command)) {
    console.error(USAGE);
    return 2;
  }
  await commands[command](args);
  return 0;
}

/**
 * A finished command exits once its output is written: a client a driver keeps reconnecting after a probe gave up
 * must not keep the CLI, and whoever waits on it, running. `start` resolves with nothing: it goes on supervising
 * the processes it started.
 */
const exit = (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) {
      exit(code);
    }
  },
  (err) => {
    if (err instanceof UsageError) {
      console.error(`userstream ${err.message}\n\n${USAGE}`);
      exit(2);
      return;
    }
    console.error(err instanceof StackError ? err.message : (err?.stack ?? String(err)));
    exit(1);
  },
);
