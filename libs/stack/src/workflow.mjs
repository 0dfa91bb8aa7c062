// `npm start` and `npm test`: install what is missing, bring the stack up, then run the product or its tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { driversMissing } from './drivers.mjs';
import { ensurePostgres, stackClientEnv, stackDown, stackStatus, stackUp } from './index.mjs';
import { reportWhile } from './progress.mjs';
import { jestReport, playwrightReport, tapReport, withoutColours } from './reports.mjs';
import { retry } from './wait.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUT = path.join(ROOT, '.run', 'test-reports');

const log = (message) => console.log(`[userstream] ${message}`);
const elapsed = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/**
 * Runs a command with its output shown as it comes; resolves with its exit code. `keep`, an array, receives the
 * output's last lines, so a summary can show why a step failed when its report names no test.
 */
export function run(command, args, { env = {}, cwd = ROOT, keep } = {}) {
  return new Promise((resolve) => {
    const stdio = keep ? ['inherit', 'pipe', 'pipe'] : 'inherit';
    // a piped child no longer sees a terminal: keep its colours when ours is one
    const colour = keep && process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
    const child = spawn(command, args, { cwd, env: { ...process.env, ...colour, ...env }, stdio });
    if (keep) {
      let partial = '';
      const collect = (chunk) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop();
        keep.push(...lines);
        keep.splice(0, Math.max(0, keep.length - KEPT_LINES));
      };
      child.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        collect(chunk);
      });
      child.stderr.on('data', (chunk) => {
        process.stderr.write(chunk);
        collect(chunk);
      });
    }
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}
const KEPT_LINES = 40;

/** How many packages node_modules holds (top level and scoped), to show an install's progress. */
function installedPackages() {
  try {
    const top = readdirSync(path.join(ROOT, 'node_modules'), { withFileTypes: true });
    return top.reduce((count, entry) => {
      if (!entry.isDirectory() || entry.name.startsWith('.')) {
        return count;
      }
      if (!entry.name.startsWith('@')) {
        return count + 1;
      }
      return count + readdirSync(path.join(ROOT, 'node_modules', entry.name)).length;
    }, 0);
  } catch {
    return 0;
  }
}

/** `npm ci` when node_modules is missing or older than the lockfile (or, with `force`, in any case). */
export async function ensureInstalled({ force = false } = {}) {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (!force && existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    return;
  }
  log('installing dependencies (npm ci)...');
  const started = Date.now();
  const code = await reportWhile(run('npm', ['ci', '--no-audit', '--no-fund']), {
    log,
    describe: () => `installing dependencies (npm ci): ${installedPackages()} packages so far`,
  });
  if (code !== 0) {
    throw new Error('npm ci failed');
  }
  log(`dependencies installed in ${elapsed(started)}`);
}

/**
 * For `stack up` and `stack status`, whose readiness checks use the product's drivers: `npm ci` when they are
 * missing, and only then (a stack command never reinstalls a node_modules that has them).
 */
export async function ensureDrivers() {
  if (driversMissing()) {
    await ensureInstalled({ force: true });
  }
}

/** Debian's Chromium for Playwright; installed with apt when missing and we are root. */
export async function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) {
    return;
  }
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Chromium not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  log('installing Chromium with apt-get...');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update', '-qq'], { env })) !== 0) {
    throw new Error('apt-get update failed');
  }
  if ((await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env })) !== 0) {
    throw new Error('apt-get install chromium failed');
  }
}

const npmRun = (script, args = [], env = {}, keep = undefined) =>
  run('npm', ['run', script, ...(args.length ? ['--', ...args] : [])], { env, keep });

/**
 * Brings Kafka, Cassandra and PostgreSQL up (`nodes` of each; by default as many as `stack up` last chose);
 * returns whether this call started the JVMs.
 */
async function bringStackUp(databaseUrl, nodes) {
  const before = Object.values(await stackStatus()).filter((server) => server.kind !== 'postgres');
  const wasUp = before.every((server) => server.up);
  await Promise.all([stackUp({ log, nodes }), ensurePostgres(databaseUrl, { log })]);
  return !wasUp;
}

export async function start() {
  await ensureInstalled();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream';
  const [startedStack] = await Promise.all([
    bringStackUp(databaseUrl),
    reportWhile(npmRun('build'), { log, describe: () => 'building contracts, backend and dashboard' }).then(
      (code) => {
        if (code !== 0) {
          throw new Error('build failed');
        }
      },
    ),
  ]);
  if ((await run('npm', ['run', 'migrate', '-w', 'backend'])) !== 0) {
    throw new Error('migrations failed');
  }
  const backendPort = process.env.PORT ?? '3001';
  const frontendPort = process.env.FRONTEND_PORT ?? '3000';
  const children = [
    // the backend's V8 heap cap, as in backend/package.json (backend/bench/README.md, "Memory")
    // each in a process group of its own, stopped as a whole: npm does not pass a signal on to next-server
    spawn(
      'node',
      [
        '--max-old-space-size=192',
        '--initial-old-space-size=128',
        '--heap-growing-percent=60',
        'backend/dist/main.js',
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
        detached: true,
        // the brokers and nodes of the stack just brought up (one of each, or a cluster), unless set already
        env: { ...stackClientEnv(), ...process.env, PORT: backendPort },
      },
    ),
    spawn('npm', ['run', 'start', '-w', 'frontend'], {
      cwd: ROOT,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, FRONTEND_PORT: frontendPort, BACKEND_URL: `http://127.0.0.1:${backendPort}` },
    }),
  ];
  let stopping = false;
  const stop = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    log('stopping...');
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group is gone already
      }
    }
    await Promise.all(
      children.map((child) => new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)))),
    );
    if (startedStack) {
      await stackDown({ log });
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const child of children) {
    child.on('exit', () => void stop());
  }
  const backendUrl = `http://127.0.0.1:${backendPort}/api`;
  const dashboardUrl = `http://127.0.0.1:${frontendPort}`;
  // the addresses only once both answer: a URL printed earlier would greet a first visit with an error
  await reportWhile(Promise.all([answers(`${backendUrl}/health`), answers(dashboardUrl)]), {
    log,
    describe: () => 'waiting for the API and the dashboard to answer',
  });
  log(`dashboard  ${dashboardUrl}`);
  log(`API        ${backendUrl}  (OpenAPI: /api/docs)`);
  log('Ctrl-C stops what this command started.');
}

/** Resolves once `url` answers HTTP at all (any status: health may say a store is down, and that is shown). */
function answers(url) {
  const attempt = () =>
    fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      () => true,
      () => undefined,
    );
  return retry(attempt, { everyMs: 500 });
}

/**
 * The test suites' own everything: the test stack's Kafka and Cassandra (their own ports and data), their own
 * database, keyspaces and ports. Nothing they do reaches a running `npm start`, and the servers the fault suite
 * stops and restarts are the test stack's.
 */
export function testSuiteEnv() {
  return {
    ...useTestStack(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream_test',
    CASSANDRA_KEYSPACE: process.env.TEST_CASSANDRA_KEYSPACE ?? 'userstream_test',
    // every processor the tests start creates the tutorial's table: not in a real spark_streams
    SEED_KEYSPACE: 'userstream_test_seed',
    PORT: '3101',
    FRONTEND_PORT: '3100',
    BACKEND_URL: 'http://127.0.0.1:3101',
    FRONTEND_URL: 'http://127.0.0.1:3100',
    CORS_ORIGINS: 'http://127.0.0.1:3100',
    // the browser tests drive the API hard from one IP
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    RATE_LIMIT_HANDSHAKES_PER_MINUTE: '100000',
    RATE_LIMIT_BROWSE_PER_MINUTE: '100000',
  };
}

/**
 * Points this process (and so the stack commands it runs) at the test stack; returns what its children need to
 * reach that stack's Kafka and Cassandra. Call it before anything reads a port or a path.
 */
function useTestStack() {
  process.env.USERSTREAM_STACK = 'test';
  return {
    USERSTREAM_STACK: 'test',
    // the suites run on one node of each
    ...stackClientEnv(1),
  };
}

/** Suites `npm test` runs after its static checks and unit tests; `test <suite>` runs one of them alone. */
export const TEST_SUITES = ['int', 'security', 'e2e', 'faults'];
/** Nodes of the test stack for `test cluster` (npm run test:cluster), which `npm test` leaves out: see README. */
const CLUSTER_NODES = 3;

/** The cluster suite's own database and keyspace, on a cluster of the test stack. */
export function clusterSuiteEnv() {
  return {
    ...testSuiteEnv(),
    ...stackClientEnv(CLUSTER_NODES),
    DATABASE_URL:
      process.env.TEST_CLUSTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream_cluster',
    CASSANDRA_KEYSPACE: 'userstream_cluster',
    SEED_KEYSPACE: 'userstream_cluster_seed',
  };
}

/**
 * `npm test`: every check and suite on the test stack, which it brings up beside any running `npm start` and
 * stops at the end. `only` (int, security, e2e or faults) runs just that suite, as `npm run test:int` and friends do.
 */
export async function test(only) {
  if (only !== undefined && !TEST_SUITES.includes(only) && only !== 'cluster') {
    throw new Error(`unknown suite "${only}": use one of ${[...TEST_SUITES, 'cluster'].join(', ')}`);
  }
  const totals = { passed: 0, failed: 0 };
  const rows = [];
  const failures = [];
  const record = (name, code, report, started, ended = Date.now(), kept = []) => {
    // a step that failed without a report (crash, compile error) still counts as one failure
    const result = {
      passed: report?.passed ?? (code === 0 ? 1 : 0),
      failed: report?.failed ?? (code === 0 ? 0 : 1),
    };
    if (code !== 0 && result.failed === 0) {
      result.failed = 1;
    }
    totals.passed += result.passed;
    totals.failed += result.failed;
    if (code !== 0) {
      failures.push({ step: name, tests: report?.failures ?? [], kept });
    }
    const time = `${((ended - started) / 1000).toFixed(1)} s`;
    rows.push({ name, ...result, time });
    log(
      `${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${result.passed} passed, ${result.failed} failed, ${time})`,
    );
  };
  const step = async (name, fn, counts) => {
    const started = Date.now();
    const kept = [];
    const code = await fn(kept);
    record(name, code, counts?.(), started, Date.now(), kept);
    return code;
  };
  const wanted = (suite) => only === suite || (only === undefined && TEST_SUITES.includes(suite));

  const startedAll = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const cluster = only === 'cluster';
  const testEnv = cluster ? clusterSuiteEnv() : testSuiteEnv();

  await ensureInstalled();
  // the JVMs take the longest to start: bring them up while the static checks run
  const stackStarted = Date.now();
  let stackReadyAt = stackStarted;
  let startedStack = false;
  const stack = bringStackUp(testEnv.DATABASE_URL, cluster ? CLUSTER_NODES : 1).then(
    (started) => {
      startedStack = started;
      stackReadyAt = Date.now();
      return 0;
    },
    (error) => {
      // a partial start leaves servers of ours behind: stop them too
      startedStack = true;
      stackReadyAt = Date.now();
      console.error(error.message);
      return 1;
    },
  );
  try {
    if (only === undefined) {
      await staticChecksAndUnitTests(step);
    } else {
      // the suites run what the build wrote (the fault suite starts dist/main.js)
      await step('build', (keep) => npmRun('build', [], {}, keep));
    }
    const stackCode = await stack;
    record('test stack up', stackCode, undefined, stackStarted, stackReadyAt);
    if (stackCode === 0) {
      await suites(step, record, testEnv, wanted);
    }
  } finally {
    await stack;
    if (startedStack) {
      await stackDown({ log });
    }
  }

  console.log('');
  console.table(rows);
  // the end of the output is what a CI page shows: name what failed there, not only how many
  for (const { step: name, tests, kept } of failures) {
    console.log(`FAILED ${name}:`);
    for (const test of tests) {
      console.log(`  - ${test.name}${test.reason ? `\n    ${test.reason}` : ''}`);
    }
    // no test named (a crash, a hook, an exit code alone): its last lines say why
    if (tests.length === 0) {
      for (const line of kept) {
        console.log(`  | ${withoutColours(line)}`);
      }
    }
  }
  log(`total ${elapsed(startedAll)}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed === 0 ? 0 : 1;
}

async function staticChecksAndUnitTests(step) {
  await step('build', (keep) => npmRun('build', [], {}, keep));
  await step('format', (keep) => npmRun('format:check', [], {}, keep));
  await step('lint', (keep) => npmRun('lint', [], {}, keep));
  await step('typecheck', (keep) => npmRun('typecheck', [], {}, keep));
  for (const project of ['contracts', 'backend', 'frontend']) {
    const file = path.join(OUT, `unit-${project}.json`);
    await step(
      `unit tests (${project})`,
      (keep) =>
        run(
          'npm',
          [
            'run',
            'test',
            '-w',
            project === 'contracts' ? 'libs/contracts' : project,
            '--',
            '--json',
            `--outputFile=${file}`,
          ],
          { keep },
        ),
      () => jestReport(file),
    );
  }
  const tap = path.join(OUT, 'stack.tap');
  await step(
    'unit tests (stack)',
    (keep) =>
      run(
        'node',
        [
          '--test',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${tap}`,
          'libs/stack/test/',
        ],
        { keep },
      ),
    () => tapReport(tap),
  );
}

async function suites(step, record, testEnv, wanted) {
  if (wanted('int')) {
    const intFile = path.join(OUT, 'int-backend.json');
    await step(
      'integration tests (backend)',
      (keep) =>
        run('npm', ['run', 'test:int', '-w', 'backend', '--', '--json', `--outputFile=${intFile}`], {
          env: testEnv,
          keep,
        }),
      () => jestReport(intFile),
    );
  }
  if (wanted('security')) {
    const securityFile = path.join(OUT, 'security-backend.json');
    await step(
      'security suite (backend)',
      (keep) =>
        run(
          'npm',
          ['run', 'test:security', '-w', 'backend', '--', '--json', `--outputFile=${securityFile}`],
          {
            env: testEnv,
            keep,
          },
        ),
      () => jestReport(securityFile),
    );
  }
  if (wanted('e2e')) {
    const chromium = await ensureChromium().then(
      () => 0,
      (error) => {
        console.error(error.message);
        return 1;
      },
    );
    if (chromium === 0) {
      const e2eFile = path.join(ROOT, 'e2e', 'output', 'report.json');
      rmSync(e2eFile, { force: true });
      await step(
        'end-to-end tests (Playwright)',
        (keep) => run('npm', ['run', 'e2e', '-w', 'e2e'], { env: testEnv, keep }),
        () => playwrightReport(e2eFile),
      );
    } else {
      record('chromium', 1, undefined, Date.now());
    }
  }
  if (wanted('cluster')) {
    const clusterFile = path.join(OUT, 'cluster-backend.json');
    await step(
      'cluster fault suite (backend)',
      (keep) =>
        run('npm', ['run', 'test:cluster', '-w', 'backend', '--', '--json', `--outputFile=${clusterFile}`], {
          env: testEnv,
          keep,
        }),
      () => jestReport(clusterFile),
    );
  }
  if (wanted('faults')) {
    // last: it stops and starts the test stack's Kafka and Cassandra under a running pipeline
    const faultsFile = path.join(OUT, 'faults-backend.json');
    await step(
      'fault suite (backend)',
      (keep) =>
        run('npm', ['run', 'test:faults', '-w', 'backend', '--', '--json', `--outputFile=${faultsFile}`], {
          env: testEnv,
          keep,
        }),
      () => jestReport(faultsFile),
    );
  }
}

/** The bench's own everything, on the test stack: a running `npm start` keeps its servers to itself. */
export function benchEnv() {
  return {
    ...useTestStack(),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream_bench',
    CASSANDRA_KEYSPACE: process.env.BENCH_CASSANDRA_KEYSPACE ?? 'userstream_bench',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  };
}

/**
 * `npm run bench` (`bench all`, every case; `-- --quick` for the short version) and `npm run bench:pipeline`:
 * the stack up, the backend and its bench built, then `backend/dist-bench/bench/<name>.bench.js` with the bench database and
 * keyspace (`bench all` derives a fresh keyspace, topics and groups from them and deletes them at the end).
 */
export async function bench(name, { nodes = 1, args = [] } = {}) {
  // `nodes` 3 (`--nodes 3`): on a cluster of the test stack (the scale-out case then drains with three processes too)
  const env = { ...benchEnv(), ...stackClientEnv(nodes) };
  await ensureInstalled();
  // the JVMs take the longest to start: build while they come up (a partial start is stopped too)
  const [stack, built] = await Promise.all([
    bringStackUp(env.DATABASE_URL, nodes).then(
      (started) => ({ started }),
      (error) => ({ started: true, error }),
    ),
    (async () =>
      (await run('npm', ['run', 'build', '--', '--projects=contracts,backend'])) === 0 &&
      (await run('npm', ['run', 'build:bench', '-w', 'backend'])) === 0)(),
  ]);
  try {
    if (stack.error) {
      throw stack.error;
    }
    if (!built) {
      throw new Error('build failed');
    }
    return await run('node', [`backend/dist-bench/bench/${name}.bench.js`, ...args], { env });
  } finally {
    if (stack.started) {
      await stackDown({ log });
    }
  }
}
