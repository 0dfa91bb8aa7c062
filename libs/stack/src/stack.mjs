// stack up / down / status / logs: Kafka and Cassandra as detached JVMs recorded
// in .run/pids (one of each, or N of each with --nodes N), plus PostgreSQL through ensurePostgres.
import fs from 'node:fs';
import path from 'node:path';
import { cassandraContactPoints, cassandraService } from './cassandra.mjs';
import { readVersions } from './env.mjs';
import { StackError } from './errors.mjs';
import { resolveJava } from './java.mjs';
import { kafkaBrokers, kafkaService } from './kafka.mjs';
import { followFile, tailFile } from './logs.mjs';
import { isPortOpen } from './net.mjs';
import { ENV_FILE, logFile, paths, pidFile, REPO_ROOT } from './paths.mjs';
import { reportWhile } from './progress.mjs';
import {
  checkServer,
  databaseUrl as databaseUrlFromEnv,
  ensurePostgres,
  parseDatabaseUrl,
} from './postgres.mjs';
import {
  describeProcess,
  isOurs,
  memory,
  portOwner,
  readPidFile,
  recordFor,
  removeFile,
  spawnDetached,
  startTimeMs,
  terminate,
  writePidFile,
} from './procs.mjs';
import { recordedNodes, recordNodes } from './topology.mjs';
import { retry } from './wait.mjs';

export { ensurePostgres };

const STOP_GRACE_MS = 30_000;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The servers of an N-node stack: `kafka` and `cassandra`, or `kafka-1` ... `cassandra-N`. */
export function services(versions = readVersions(ENV_FILE), nodes = recordedNodes()) {
  const each = (make) => Array.from({ length: nodes }, (_, i) => make(versions, { node: i + 1, nodes }));
  return [...each(kafkaService), ...each(cassandraService)];
}

/** The servers' names, addresses and ports, without the versions that only starting them needs. */
const layout = (nodes = recordedNodes()) => services({}, nodes);

/** Names `stack logs` and `stack down` know: this topology's servers and PostgreSQL. */
export const logNames = (nodes = recordedNodes()) => [
  ...layout(nodes).map((service) => service.name),
  'postgres',
];

/** What the product needs to reach this instance's stack (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS). */
export function stackClientEnv(nodes = recordedNodes()) {
  return {
    KAFKA_BROKERS: kafkaBrokers(nodes).join(','),
    CASSANDRA_CONTACT_POINTS: cassandraContactPoints(nodes).join(','),
  };
}

/** A server named on the command line: `kafka` means every broker, `kafka-2` one of them. */
const named = (service, only) => !only || only.includes(service.name) || only.includes(service.kind);

/** STACK_TIMEOUT_SECONDS overrides every server's own start timeout. */
export function startTimeoutMs(service, env = process.env) {
  const override = Number(env.STACK_TIMEOUT_SECONDS);
  return (override > 0 ? override : service.timeoutSeconds) * 1000;
}

async function probeOnce(service) {
  try {
    return { ok: true, detail: await service.probe() };
  } catch (error) {
    return { ok: false, error };
  }
}

function failure(service, reason) {
  const file = logFile(service.name);
  return new StackError(
    `${service.name}: ${reason}\n--- last 40 lines of ${file} ---\n${tailFile(file, 40)}`,
  );
}

async function assertPortsFree(service) {
  const endpoints = [
    ...service.ports.map((port) => [service.host, port]),
    ...(service.localPorts ?? []).map((port) => ['127.0.0.1', port]),
  ];
  for (const [host, port] of endpoints) {
    if (await isPortOpen(host, port, 500)) {
      const owner = describeProcess(portOwner(port));
      throw new StackError(
        `${service.name}: ${host}:${port} is already taken by ${owner}, which this runner did not start; stop it or free the port.`,
      );
    }
  }
}

/**
 * Polls the real protocol check until it passes; fails fast when the process dies. For a process this call
 * spawned (`spawned`), only its exit event says it died: its /proc entry can look foreign for a moment while
 * setpriv execs the JVM, and taking that for a death once left a running Cassandra without its pid file.
 */
export async function waitReady(service, record, { timeoutMs, exit, spawned = false }) {
  let last;
  const detail = await retry(
    async () => {
      if (exit.status || (!spawned && !isOurs(record))) {
        removeFile(pidFile(service.name));
        throw failure(
          service,
          `the JVM (pid ${record.pid}) died while starting${exit.status ? ` (${exit.status})` : ''}`,
        );
      }
      const result = await probeOnce(service);
      if (result.ok) {
        return result.detail;
      }
      last = result.error;
    },
    { everyMs: 500, timeoutMs },
  );
  if (detail !== undefined) {
    return detail;
  }
  await terminate(record, { graceMs: 10_000 });
  removeFile(pidFile(service.name));
  throw failure(
    service,
    `not ready within ${timeoutMs / 1000} s (last check: ${last?.message}); stopped pid ${record.pid}`,
  );
}

const waitingFor = (service) =>
  `${service.name}: starting, waiting for it to answer on ${service.host}:${service.port}`;

async function upService(service, { java, log, env }) {
  const file = pidFile(service.name);
  const timeoutMs = startTimeoutMs(service, env);
  const existing = readPidFile(file);
  if (isOurs(existing)) {
    if ((await probeOnce(service)).ok) {
      log(`${service.name} already up (pid ${existing.pid})`);
      return { name: service.name, pid: existing.pid, already: true };
    }
    log(`${service.name}: pid ${existing.pid} is still starting, waiting for it`);
    const started = Date.now();
    const detail = await reportWhile(waitReady(service, existing, { timeoutMs, exit: {} }), {
      log,
      describe: () => waitingFor(service),
    });
    log(`${service.name} ready in ${seconds(Date.now() - started)} (pid ${existing.pid}, ${detail})`);
    return { name: service.name, pid: existing.pid, already: true };
  }
  if (existing) {
    removeFile(file);
  } // the recorded process is gone (or the pid was reused)
  await assertPortsFree(service);

  const launch = await service.prepare({ java, log });
  const started = Date.now();
  const child = spawnDetached(launch.command, launch.args, {
    logFile: logFile(service.name),
    cwd: launch.cwd,
    env: { ...env, JAVA_HOME: java.home },
  });
  const exit = {};
  child.on('exit', (code, signal) => (exit.status = signal ? `signal ${signal}` : `exit code ${code}`));
  child.on('error', (err) => (exit.status = err.message));
  if (!child.pid) {
    throw failure(service, `could not start ${launch.command}`);
  }
  const record = recordFor(child.pid, service.marker, {
    host: service.host,
    port: service.port,
    ports: service.ports,
  });
  writePidFile(file, record);
  log(`${service.name}: started pid ${child.pid}, waiting up to ${timeoutMs / 1000} s`);
  const detail = await reportWhile(waitReady(service, record, { timeoutMs, exit, spawned: true }), {
    log,
    describe: () => waitingFor(service),
  });
  log(`${service.name} ready in ${seconds(Date.now() - started)} (pid ${child.pid}, ${detail})`);
  return { name: service.name, pid: child.pid, already: false, readyMs: Date.now() - started };
}

/** Switching between one node and a cluster needs the other topology stopped: they share ports. */
function assertTopologyFree(nodes) {
  const recorded = recordedNodes();
  if (recorded === nodes) {
    return;
  }
  const running = layout(recorded).filter((service) => isOurs(readPidFile(pidFile(service.name))));
  if (running.length > 0) {
    throw new StackError(
      `the stack runs with ${recorded} node(s) (${running.map((s) => s.name).join(', ')}); ` +
        'stop it first (npm run stack:down), then bring it up with the new --nodes',
    );
  }
}

/**
 * Starts Kafka and Cassandra (in parallel; the nodes of a Cassandra ring one after another); with
 * `databaseUrl`, also makes sure PostgreSQL answers there (ensurePostgres). `nodes` chooses one node of each
 * (1) or a cluster, and is remembered for the commands that follow; without it, the last choice holds.
 * Resolves when all are ready, rejects with a StackError naming what failed (each failure is logged as it happens).
 */
export async function stackUp({ log = console.log, env = process.env, databaseUrl, only, nodes } = {}) {
  const started = Date.now();
  const versions = readVersions(ENV_FILE);
  const java = resolveJava();
  if (nodes !== undefined) {
    assertTopologyFree(nodes);
    recordNodes(nodes);
  }
  let previous = Promise.resolve();
  const tasks = services(versions)
    .filter((service) => named(service, only))
    .map((service) => {
      const up = () => upService(service, { java, log, env });
      if (!service.startsAfterPrevious) {
        return [service.name, up()];
      }
      // a node that could not start leaves the next one without its seed or predecessor: it fails too
      previous = previous.then(up);
      return [service.name, previous];
    });
  if (databaseUrl) {
    tasks.push(['postgres', ensurePostgres(databaseUrl, { log, wantedMajor: versions.postgres })]);
  }
  // Report each failure as it happens: the other servers may take minutes more.
  const failed = [];
  const results = await Promise.all(
    tasks.map(([name, task]) =>
      task.catch((err) => {
        failed.push(name);
        log(err instanceof StackError ? err.message : `${name}: ${err.stack ?? err}`);
      }),
    ),
  );
  if (failed.length > 0) {
    throw new StackError(`stack up failed: ${failed.join(', ')} (see above)`);
  }
  log(`stack up in ${seconds(Date.now() - started)}`);
  return results;
}

/** An exited JVM can hold its listening sockets until it is reaped; a quick `up` after `down` must not trip on them. */
async function waitPortsClosed(host, ports, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports.filter(Boolean)) {
    const closed = async () => ((await isPortOpen(host, port, 200)) ? undefined : true);
    await retry(closed, { everyMs: 100, timeoutMs: deadline - Date.now() });
  }
}

async function downOne(name, log) {
  const file = pidFile(name);
  const record = readPidFile(file);
  if (!record) {
    return false;
  }
  if (!isOurs(record)) {
    removeFile(file);
    log(`${name}: not running (removed a stale pid file)`);
    return false;
  }
  const started = Date.now();
  const outcome = await terminate(record, { signal: record.stopSignal ?? 'SIGTERM', graceMs: STOP_GRACE_MS });
  removeFile(file);
  await waitPortsClosed(record.host ?? '127.0.0.1', record.ports ?? [record.port]);
  const how =
    outcome === 'killed'
      ? `killed (SIGKILL) after ${STOP_GRACE_MS / 1000} s`
      : `stopped in ${seconds(Date.now() - started)}`;
  log(`${name} ${how} (pid ${record.pid})`);
  return true;
}

/**
 * Stops exactly the processes recorded in .run/pids (SIGTERM, SIGKILL after 30 s), or only the services
 * named in `only`; `wipe` also deletes their data directories.
 */
export async function stackDown({ wipe = false, log = console.log, only } = {}) {
  const names = layout()
    .filter((service) => named(service, only))
    .map((service) => service.name);
  if (!only || only.includes('postgres')) {
    names.push('postgres');
  }
  const stopped = await Promise.all(names.map((name) => downOne(name, log)));
  if (!stopped.includes(true)) {
    log('nothing of ours is running');
  }
  if (wipe) {
    const dirs = [paths.kafka, paths.cassandra, paths.postgres, paths.cluster];
    for (const dir of dirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    log(`data wiped (${dirs.map((dir) => path.relative(REPO_ROOT, dir)).join(', ')})`);
  }
}

function processInfo(pid) {
  const since = startTimeMs(pid);
  return { pid, ...memory(pid), uptimeSeconds: since ? Math.round((Date.now() - since) / 1000) : null };
}

async function serviceStatus(service) {
  const base = { name: service.name, kind: service.kind, host: service.host, port: service.port };
  const record = readPidFile(pidFile(service.name));
  if (isOurs(record)) {
    const check = await probeOnce(service);
    const detail = check.ok ? check.detail : check.error.message;
    return { ...base, state: check.ok ? 'up' : 'starting', ...processInfo(record.pid), detail };
  }
  if (await isPortOpen(service.host, service.port, 500)) {
    const pid = portOwner(service.port);
    return {
      ...base,
      state: 'foreign',
      ...(pid ? processInfo(pid) : {}),
      detail: 'port taken by a process this runner did not start',
    };
  }
  return { ...base, state: 'down' };
}

async function postgresStatus(url) {
  const target = parseDatabaseUrl(url);
  const base = { name: 'postgres', kind: 'postgres', host: target.host, port: target.port };
  const record = readPidFile(pidFile('postgres'));
  const ours = isOurs(record) && record.port === target.port;
  let check;
  try {
    check = await checkServer(target);
  } catch (err) {
    check = { state: 'error', detail: err.message };
  }
  if (check.state === 'down') {
    return { ...base, state: 'down' };
  }
  const pid = ours ? record.pid : portOwner(target.port);
  const detail = `${ours ? 'private cluster' : 'external server'}${check.state === 'ok' ? '' : `, ${check.detail}`}`;
  return { ...base, state: 'up', ...(pid ? processInfo(pid) : {}), detail };
}

/**
 * State of each server, keyed by name (kafka, cassandra, postgres; kafka-1 ... cassandra-N in a cluster):
 * { name, kind, up, state: up|starting|down|foreign, pid, host, port, rssBytes, peakRssBytes, uptimeSeconds,
 * detail }. "up" means ready for clients; "foreign" means a process this runner did not start holds the port.
 */
export async function stackStatus({ env = process.env } = {}) {
  const entries = await Promise.all([
    ...layout().map(serviceStatus),
    postgresStatus(databaseUrlFromEnv(env)),
  ]);
  return Object.fromEntries(entries.map((entry) => [entry.name, { ...entry, up: entry.state === 'up' }]));
}

/** Prints the tail of the servers' logs; with `follow`, keeps printing what they append. */
export async function stackLogs({
  name,
  lines = 40,
  follow = false,
  write = (text) => process.stdout.write(text),
} = {}) {
  const names = logNames();
  if (name && !names.includes(name)) {
    throw new StackError(`unknown log "${name}": use one of ${names.join(', ')}`);
  }
  const files = (name ? [name] : names)
    .map((n) => ({ name: n, file: logFile(n) }))
    .filter((f) => name || fs.existsSync(f.file));
  if (files.length === 0) {
    throw new StackError('no logs yet: run `npm run stack:up` first');
  }
  for (const { file } of files) {
    const text = tailFile(file, lines);
    write(`==> ${file} <==\n${text}${text ? '\n' : ''}`);
  }
  if (!follow) {
    return;
  }
  let lastName;
  await Promise.all(
    files.map(({ name: n, file }) =>
      followFile(
        file,
        (chunk) => {
          if (files.length > 1 && lastName !== n) {
            write(`==> ${file} <==\n`);
          }
          lastName = n;
          write(chunk);
        },
        fs.existsSync(file) ? fs.statSync(file).size : 0,
      ),
    ),
  );
}
