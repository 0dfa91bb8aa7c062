// `npm start` and `npm test`: install what is missing, bring the stack up, then run the product or its tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cqlPort, ensurePostgres, kafkaPort, stackDown, stackStatus, stackUp } from './index.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUT = path.join(ROOT, '.run', 'test-reports');

const log = (message) => console.log(`[userstream] ${message}`);
const elapsed = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export async function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing dependencies (npm ci)...');
  const started = Date.now();
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) throw new Error('npm ci failed');
  log(`dependencies installed in ${elapsed(started)}`);
}

/** Debian's Chromium for Playwright; installed with apt when missing and we are root. */
export async function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Chromium not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  log('installing Chromium with apt-get...');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update', '-qq'], { env })) !== 0) throw new Error('apt-get update failed');
  if ((await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env })) !== 0) {
    throw new Error('apt-get install chromium failed');
  }
}

const npmRun = (script, args = [], env = {}) =>
  run('npm', ['run', script, ...(args.length ? ['--', ...args] : [])], { env });

/** Brings Kafka, Cassandra and PostgreSQL up; returns whether this call started the JVMs. */
async function bringStackUp(databaseUrl) {
  const before = await stackStatus();
  const wasUp = before.kafka?.up && before.cassandra?.up;
  await Promise.all([stackUp({ log }), ensurePostgres(databaseUrl, { log })]);
  return !wasUp;
}

export async function start() {
  await ensureInstalled();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream';
  const [startedStack] = await Promise.all([
    bringStackUp(databaseUrl),
    npmRun('build').then((code) => {
      if (code !== 0) throw new Error('build failed');
    }),
  ]);
  if ((await run('npm', ['run', 'migrate', '-w', 'backend'])) !== 0) throw new Error('migrations failed');
  const backendPort = process.env.PORT ?? '3001';
  const frontendPort = process.env.FRONTEND_PORT ?? '3000';
  const children = [
    // the backend's V8 heap cap, as in backend/package.json (README.md, "Performance")
    spawn('node', ['--max-old-space-size=192', 'backend/dist/main.js'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, PORT: backendPort },
    }),
    spawn('npm', ['run', 'start', '-w', 'frontend'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, FRONTEND_PORT: frontendPort, BACKEND_URL: `http://127.0.0.1:${backendPort}` },
    }),
  ];
  log(`dashboard  http://127.0.0.1:${frontendPort}`);
  log(`API        http://127.0.0.1:${backendPort}/api  (OpenAPI: /api/docs)`);
  log('Ctrl-C stops what this command started.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)))),
    );
    if (startedStack) await stackDown({ log });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const child of children) child.on('exit', () => void stop());
}

/** Reads a Jest `--json` report: { passed, failed }. */
function jestCounts(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests + report.numRuntimeErrorTestSuites };
}

/** Reads a Playwright JSON report: { passed, failed }. */
function playwrightCounts(file) {
  if (!existsSync(file)) return undefined;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
}

/** Reads node:test TAP output: { passed, failed }. */
function tapCounts(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const count = (word) => Number(text.match(new RegExp(`^# ${word} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') };
}

/**
 * The test suites' own everything: the test stack's Kafka and Cassandra (their own ports and data), their own
 * database, keyspaces and ports. Nothing they do reaches a running `npm start`, and the servers the fault suite
 * stops and restarts are the test stack's.
 */
function testSuiteEnv() {
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
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort()}`,
    CASSANDRA_CONTACT_POINTS: `127.0.0.1:${cqlPort()}`,
  };
}

/** Suites `npm test` runs after its static checks and unit tests; `test <suite>` runs one of them alone. */
export const TEST_SUITES = ['int', 'e2e', 'faults'];

/**
 * `npm test`: every check and suite on the test stack, which it brings up beside any running `npm start` and
 * stops at the end. `only` (int, e2e or faults) runs just that suite, as `npm run test:int` and friends do.
 */
export async function test(only) {
  if (only !== undefined && !TEST_SUITES.includes(only)) {
    throw new Error(`unknown suite "${only}": use one of ${TEST_SUITES.join(', ')}`);
  }
  const totals = { passed: 0, failed: 0 };
  const rows = [];
  const record = (name, code, counts, started, ended = Date.now()) => {
    // a step that failed without a report (crash, compile error) still counts as one failure
    const result = counts ?? { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
    if (code !== 0 && result.failed === 0) result.failed = 1;
    totals.passed += result.passed;
    totals.failed += result.failed;
    const time = `${((ended - started) / 1000).toFixed(1)} s`;
    rows.push({ name, ...result, time });
    log(
      `${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${result.passed} passed, ${result.failed} failed, ${time})`,
    );
  };
  const step = async (name, fn, counts) => {
    const started = Date.now();
    const code = await fn();
    record(name, code, counts?.(), started);
    return code;
  };
  const wanted = (suite) => only === undefined || only === suite;

  const startedAll = Date.now();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const testEnv = testSuiteEnv();

  await ensureInstalled();
  // the JVMs take the longest to start: bring them up while the static checks run
  const stackStarted = Date.now();
  let stackReadyAt = stackStarted;
  let startedStack = false;
  const stack = bringStackUp(testEnv.DATABASE_URL).then(
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
      await step('build', () => npmRun('build'));
    }
    const stackCode = await stack;
    record('test stack up', stackCode, undefined, stackStarted, stackReadyAt);
    if (stackCode === 0) await suites(step, record, testEnv, wanted);
  } finally {
    await stack;
    if (startedStack) await stackDown({ log });
  }

  console.log('');
  console.table(rows);
  log(`total ${elapsed(startedAll)}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed === 0 ? 0 : 1;
}

async function staticChecksAndUnitTests(step) {
  await step('build', () => npmRun('build'));
  await step('format', () => npmRun('format:check'));
  await step('lint', () => npmRun('lint'));
  await step('typecheck', () => npmRun('typecheck'));
  for (const project of ['contracts', 'backend', 'frontend']) {
    const file = path.join(OUT, `unit-${project}.json`);
    await step(
      `unit tests (${project})`,
      () =>
        run('npm', [
          'run',
          'test',
          '-w',
          project === 'contracts' ? 'libs/contracts' : project,
          '--',
          '--json',
          `--outputFile=${file}`,
        ]),
      () => jestCounts(file),
    );
  }
  const tap = path.join(OUT, 'stack.tap');
  await step(
    'unit tests (stack)',
    () =>
      run('node', [
        '--test',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        'libs/stack/test/',
      ]),
    () => tapCounts(tap),
  );
}

async function suites(step, record, testEnv, wanted) {
  if (wanted('int')) {
    const intFile = path.join(OUT, 'int-backend.json');
    await step(
      'integration tests (backend)',
      () =>
        run('npm', ['run', 'test:int', '-w', 'backend', '--', '--json', `--outputFile=${intFile}`], {
          env: testEnv,
        }),
      () => jestCounts(intFile),
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
        () => run('npm', ['run', 'e2e', '-w', 'e2e'], { env: testEnv }),
        () => playwrightCounts(e2eFile),
      );
    } else {
      record('chromium', 1, undefined, Date.now());
    }
  }
  if (wanted('faults')) {
    // last: it stops and starts the test stack's Kafka and Cassandra under a running pipeline
    const faultsFile = path.join(OUT, 'faults-backend.json');
    await step(
      'fault suite (backend)',
      () =>
        run('npm', ['run', 'test:faults', '-w', 'backend', '--', '--json', `--outputFile=${faultsFile}`], {
          env: testEnv,
        }),
      () => jestCounts(faultsFile),
    );
  }
}

/**
 * `npm run bench` (`bench all`, every case; `-- --quick` for the short version) and `npm run bench:pipeline`:
 * the stack up, the backend built, then `backend/dist/bench/<name>.bench.js` with the bench database and
 * keyspace (`bench all` derives a fresh keyspace, topics and groups from them and deletes them at the end).
 */
export async function bench(name, args = []) {
  // the test stack: a running `npm start` keeps its servers to itself, and the figures are not its load
  const env = {
    ...useTestStack(),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/userstream_bench',
    CASSANDRA_KEYSPACE: process.env.BENCH_CASSANDRA_KEYSPACE ?? 'userstream_bench',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  };
  await ensureInstalled();
  const startedStack = await bringStackUp(env.DATABASE_URL);
  try {
    if ((await run('npm', ['run', 'build', '--', '--projects=contracts,backend'])) !== 0)
      throw new Error('build failed');
    return await run('node', [`backend/dist/bench/${name}.bench.js`, ...args], { env });
  } finally {
    if (startedStack) await stackDown({ log });
  }
}
