// PostgreSQL: use the server that answers at DATABASE_URL; when none does and the
// host is this machine, run a private cluster from Debian's binaries in .run/postgres.
// Either way, create the URL's database when it is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PgAuthUnsupported, pgSession } from './drivers.mjs';
import { StackError } from './errors.mjs';
import { isPortOpen } from './net.mjs';
import { logFile, paths, pidFile } from './paths.mjs';
import { isOurs, readPidFile, recordFor, runCommand, writePidFile } from './procs.mjs';
import { NoAnswer } from './wait.mjs';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/userstream';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const PG_BIN_ROOT = '/usr/lib/postgresql';
const AUTH_FAILURES = new Set([
  '28P01' /* invalid_password */,
  '28000' /* invalid_authorization_specification */,
]);

export const databaseUrl = (env = process.env) => env.DATABASE_URL || DEFAULT_DATABASE_URL;
export const privateDataDir = () => path.join(paths.postgres, 'data');

/** host, port, user, password and database of a postgres:// URL, with the defaults filled in. */
export function parseDatabaseUrl(url) {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) {
    throw new Error(`not a postgres:// URL: ${url}`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
}

/**
 * What answers at the target: { state: 'down' } when nothing listens,
 * { state: 'ok' } after a successful login, { state: 'unverified', detail } when
 * a server answers but this client cannot log in. Throws when the port is not PostgreSQL.
 */
export async function checkServer(target) {
  if (!(await isPortOpen(target.host, target.port))) {
    return { state: 'down' };
  }
  for (const database of ['postgres', 'template1']) {
    try {
      await pgSession({ ...target, database }, (client) => client.query('SELECT 1'));
      return { state: 'ok', database };
    } catch (err) {
      if (err instanceof PgAuthUnsupported) {
        return { state: 'unverified', detail: err.message };
      }
      if (AUTH_FAILURES.has(err.code)) {
        return { state: 'unverified', detail: err.message };
      }
      if (err.code === '3D000') {
        continue;
      } // no such database: try the next one
      throw new StackError(
        err instanceof NoAnswer
          ? `postgres: ${target.host}:${target.port} accepts connections but did not answer a login: ${err.message}`
          : `postgres: ${target.host}:${target.port} answers but not as PostgreSQL would: ${err.message}`,
      );
    }
  }
  return { state: 'unverified', detail: 'neither the postgres nor the template1 database is reachable' };
}

/** Creates the database when missing; returns true when it created it. */
export function createDatabaseIfMissing(target, maintenanceDb = 'postgres') {
  return pgSession({ ...target, database: maintenanceDb }, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (found.rowCount > 0) {
      return false;
    }
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.database)}`);
    return true;
  });
}

/** Debian's server binaries, preferring the wanted major version, else the newest. */
export function findPgBinaries(wantedMajor, root = PG_BIN_ROOT) {
  let versions;
  try {
    versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/pg_ctl')));
  } catch {
    return null;
  }
  if (versions.length === 0) {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  const version = versions.includes(String(wantedMajor)) ? String(wantedMajor) : versions[0];
  const bin = path.join(root, version, 'bin');
  return { version, initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') };
}

/** PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user. */
function runAs() {
  if (process.getuid?.() !== 0) {
    return null;
  }
  const run = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new StackError(
      'postgres: running as root needs a `postgres` system user to own the private cluster: apt-get install postgresql.',
    );
  }
  return { user: 'postgres', uid: Number(run.stdout), gid: Number(gid.stdout) };
}

function runPg(owner, command, args) {
  return owner
    ? runCommand('runuser', ['-u', owner.user, '--', command, ...args])
    : runCommand(command, args);
}

function chownTree(target, owner) {
  fs.chownSync(target, owner.uid, owner.gid);
  if (!fs.statSync(target).isDirectory()) {
    return;
  }
  for (const entry of fs.readdirSync(target)) {
    chownTree(path.join(target, entry), owner);
  }
}

// Concurrent ensurePostgres calls in one process (stack up next to the app's own
// call) must not race two pg_ctl starts: they share the one in flight per port.
const starting = new Map();

function startPrivateCluster(target, options) {
  if (!starting.has(target.port)) {
    const start = initAndStart(target, options).finally(() => starting.delete(target.port));
    starting.set(target.port, start);
  }
  return starting.get(target.port);
}

/** initdb (once) and pg_ctl start of .run/postgres on the target's port; returns the postmaster pid. */
async function initAndStart(target, { wantedMajor, log }) {
  if (!LOOPBACK.has(target.host)) {
    throw new StackError(
      `postgres: nothing answers at ${target.host}:${target.port}, and a private cluster can only run on this machine (127.0.0.1).`,
    );
  }
  const bins = findPgBinaries(wantedMajor);
  if (!bins) {
    throw new StackError(
      `postgres: nothing answers at ${target.host}:${target.port} and no PostgreSQL server binaries are installed: apt-get install postgresql (or point DATABASE_URL at a running server).`,
    );
  }
  if (await isPortOpen(target.host, target.port)) {
    return null;
  } // another caller started it meanwhile
  const owner = runAs();
  const dataDir = privateDataDir();
  const pgLog = logFile('postgres');
  fs.mkdirSync(paths.postgres, { recursive: true });
  fs.mkdirSync(paths.logs, { recursive: true });
  if (!fs.existsSync(pgLog)) {
    fs.writeFileSync(pgLog, '');
  }
  if (owner) {
    chownTree(paths.postgres, owner);
    fs.chownSync(pgLog, owner.uid, owner.gid);
  }
  const started = Date.now();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const initArgs = [
      '-D',
      dataDir,
      '-U',
      target.user,
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ];
    const init = await runPg(owner, bins.initdb, initArgs);
    if (init.status !== 0) {
      throw new StackError(`postgres: initdb failed:\n${init.output}`);
    }
    log(`postgres: initialised a private PostgreSQL ${bins.version} cluster in ${dataDir}`);
  }
  const options = `-p ${target.port} -k ${paths.postgres} -c listen_addresses=127.0.0.1`;
  const start = await runPg(owner, bins.pgCtl, [
    '-D',
    dataDir,
    '-l',
    pgLog,
    '-o',
    options,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  if (start.status !== 0) {
    throw new StackError(`postgres: pg_ctl start failed (see ${pgLog}):\n${start.output}`);
  }
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  writePidFile(pidFile('postgres'), recordFor(pid, dataDir, { port: target.port, stopSignal: 'SIGINT' }));
  log(
    `postgres ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid}, private cluster on port ${target.port})`,
  );
  return pid;
}

/**
 * Makes sure a PostgreSQL server answers at `url` and that its database exists.
 * Resolves with { source: 'external' | 'private', created, verified }.
 */
export async function ensurePostgres(url = databaseUrl(), { log = () => {}, wantedMajor } = {}) {
  const target = parseDatabaseUrl(url);
  const where = `${target.host}:${target.port}`;
  const ours = readPidFile(pidFile('postgres'));
  let source = isOurs(ours) && ours.port === target.port ? 'private' : 'external';
  let check = await checkServer(target);
  if (check.state === 'down') {
    await startPrivateCluster(target, { wantedMajor, log });
    source = 'private';
    check = await checkServer(target);
    if (check.state !== 'ok') {
      throw new StackError(`postgres: the private cluster on ${where} does not accept logins`);
    }
  } else if (source === 'private') {
    log(`postgres already up (pid ${ours.pid}, private cluster on port ${target.port})`);
  } else {
    log(`postgres: using the server at ${where}`);
  }
  if (check.state === 'unverified') {
    log(
      `postgres: a server answers at ${where}, cannot verify auth (${check.detail}); database "${target.database}" not checked`,
    );
    return { source, created: false, verified: false };
  }
  const created = await createDatabaseIfMissing(target, check.database);
  log(`postgres: database "${target.database}" ${created ? 'created' : 'exists'}`);
  return { source, created, verified: true };
}
