/**
 * `npm run bench [-- --quick] [-- --only=1,7] [-- --nodes 3]`: every benchmark case (or the ones listed) in one run against the real local stack (one node of each, or a cluster of the test stack), on fresh
 * topics (prefix `bench-<stamp>-`), fresh consumer groups and a fresh keyspace, all deleted at the end.
 * The backend under test (APP_ROLE=api: REST, runs, live gateway) and the processors (APP_ROLE=processor)
 * are child processes, as in production; this process drives them through REST and measures them from
 * outside. Prints a table on stdout (progress goes to stderr) and writes
 * `bench/results/<timestamp>.json` with versions, settings and every sample. Asserts nothing: it
 * exits non-zero only when a case could not run.
 *
 *   1 produce      raw kafkajs producer ceiling vs the product's producer path (RunExecution)
 *   2 cassandra    raw INSERT ceilings of the search models (executeConcurrent) vs one processor draining a
 *                  pre-filled topic
 *   3 end-to-end   synthetic run start -> last row stored (against the ingest write's ceiling) and -> last
 *                  user indexed for search (against the chosen model's: both of its writes per user); ingest ->
 *                  stored latency at 1,000 users/s
 *   4 scale-out    the same drain with one and with two processor processes
 *   5 memory       RSS of the backend and of the processor during case 3
 *   6 live         50 socket.io clients on /live while 5,000 users/s flow
 *   7 seed         the tutorial's records: a processor drain vs a bare kafkajs + cassandra-driver loop
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '#src/config/config.module.js';
import { BackendProcess } from './backend-process.js';
import { type BenchContext, type CaseOutcome, benchSettings } from './bench-context.js';
import { BenchStack } from './bench-stack.js';
import { cassandraWriteCase } from './cassandra-write.case.js';
import { endToEndCase } from './end-to-end.case.js';
import { progress } from './harness.js';
import { kafkaProduceCase } from './kafka-produce.case.js';
import { benchKeyspace, staleKeyspaces, staleTopicStamps, stampOf, topicPrefix } from './names.js';
import { liveFanoutCase } from './live-fanout.case.js';
import { processorDrainCase } from './processor-drain.case.js';
import { seedWorkloadCase } from './seed-workload.case.js';
import {
  buildResultFile,
  type Figure,
  formatTable,
  formatTargets,
  medianOf,
  resultFileName,
  ratioOf,
  summary,
  tableRows,
  target,
} from './report.js';
import { RunsClient } from './runs-client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/userstream_bench';
const LEFTOVER_AGE_MS = 3_600_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** KAFKA_VERSION, CASSANDRA_VERSION... from docker/.env, the versions both stack runners use. */
function stackVersions(): Record<string, string> {
  try {
    const text = readFileSync(path.join(ROOT, 'docker', '.env'), 'utf8');
    return Object.fromEntries(
      [...text.matchAll(/^([A-Z]+)_VERSION=(\S+)$/gm)].map(([, name, version]) => [
        name!.toLowerCase(),
        version!,
      ]),
    );
  } catch {
    return {};
  }
}

const quick = process.argv.includes('--quick');
/** `--only=1,7`: just these cases, by number (a case numbered "2/4" runs for 2 or 4). */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .map((n) => n.trim());
const wanted = (name: string) =>
  !only ||
  name
    .split(' ')[0]!
    .split('/')
    .some((n) => only.includes(n));
const settings = benchSettings(quick);
const startedAt = new Date();
const loadAverageStart = loadavg();
const stamp = stampOf(startedAt);
const prefix = topicPrefix(stamp);
const keyspaceBase = process.env.CASSANDRA_KEYSPACE ?? 'userstream_bench';
const keyspace = benchKeyspace(keyspaceBase, stamp);
const port = await freePort();
const benchEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? BENCH_DATABASE_URL,
  CASSANDRA_KEYSPACE: keyspace,
  KAFKA_TOPIC_PREFIX: prefix,
  PROCESSOR_GROUP_ID: `${prefix}processor`,
  AUTH_MODE: 'none',
  // the bench polls runs over REST; the per-client limit is not what it measures
  RATE_LIMIT_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_HANDSHAKES_PER_MINUTE: '1000000',
  RATE_LIMIT_BROWSE_PER_MINUTE: '1000000',
  // the tutorial's created_users table in the run's own keyspace, never a real spark_streams
  SEED_KEYSPACE: keyspace,
  // not production, which refuses AUTH_MODE=none: the bench's backend is its own, on loopback
  NODE_ENV: 'test',
};
const config = loadConfig({
  ...process.env,
  ...benchEnv,
  APP_ROLE: 'api',
  LOG_LEVEL: 'error',
  PORT: String(port),
});

progress(`${settings.mode} run: topics ${prefix}*, keyspace ${keyspace}, backend on port ${port}`);
const backend = BackendProcess.start('api', { ...benchEnv, LOG_LEVEL: 'info', PORT: String(port) });
await backend.ready;
const stack = await BenchStack.connect(config);
const backendUrl = `http://127.0.0.1:${port}`;
const ctx: BenchContext = {
  settings,
  config,
  backend,
  runs: new RunsClient(backendUrl),
  backendUrl,
  stack,
  prefix,
  processorEnv: (extra = {}) => ({ ...benchEnv, ...extra }),
};

const figures: Figure[] = [];
const notes: string[] = [];
let failures = 0;
/** How long each case took, so the cases that keep `--quick` over its 3 minutes show. */
const caseTimes: string[] = [];

/** Topics, groups and keyspaces of bench runs that were killed before their clean-up (over an hour old). */
async function sweepLeftovers(): Promise<void> {
  const now = new Date();
  try {
    for (const old of staleTopicStamps(await stack.admin.listTopics(), now, LEFTOVER_AGE_MS)) {
      await stack.deleteByPrefix(topicPrefix(old));
      notes.push(`deleted the topics and groups left by the bench run of ${old}`);
    }
    for (const old of staleKeyspaces(await stack.keyspaces(), keyspaceBase, now, LEFTOVER_AGE_MS)) {
      await stack.dropKeyspace(old);
      notes.push(`dropped keyspace ${old}, left by an earlier bench run`);
    }
  } catch (error) {
    notes.push(`could not sweep earlier bench runs' leftovers: ${(error as Error).message}`);
  }
}

async function attempt(name: string, run: () => Promise<CaseOutcome>): Promise<void> {
  if (!wanted(name)) {
    return;
  }
  const started = performance.now();
  try {
    const outcome = await run();
    figures.push(...outcome.figures);
    notes.push(...(outcome.notes ?? []));
  } catch (error) {
    failures += 1;
    notes.push(`${name} failed: ${(error as Error).message}`);
    progress(`${name} failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    caseTimes.push(`${name} ${Math.round((performance.now() - started) / 1000)} s`);
  }
}

let cleanedUp: Promise<void> | undefined;
/** Stops the backend and the processors, deletes the run's topics, groups and keyspace. */
function cleanUp(): Promise<void> {
  cleanedUp ??= (async () => {
    const step = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        notes.push(`clean-up: ${what} failed: ${(error as Error).message}`);
      }
    };
    await step('stopping the backend and processors', () => BackendProcess.stopAll());
    await step(`deleting ${prefix}* topics and groups`, async () => {
      const deleted = await stack.deleteByPrefix(prefix);
      progress(`deleted ${deleted.topics} topics and ${deleted.groups} consumer groups`);
    });
    await step(`dropping keyspace ${keyspace}`, () => stack.dropKeyspace(keyspace));
    await stack.close();
  })();
  return cleanedUp;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await sweepLeftovers();
  await attempt('1 produce', () => kafkaProduceCase(ctx));
  await attempt('2 cassandra ceiling', () => cassandraWriteCase(ctx));
  // the pipeline's processor for cases 3, 5 and 6 (a process of its own, as in production)
  if (wanted('3/5/6')) {
    const processor = BackendProcess.start('processor', ctx.processorEnv());
    try {
      await processor.ready;
      await attempt('3/5 end-to-end and memory', () => endToEndCase(ctx, processor));
      await attempt('6 live fan-out', () => liveFanoutCase(ctx));
    } catch (error) {
      failures += 1;
      notes.push(`3/5/6 not run: ${(error as Error).message}`);
    } finally {
      await processor.stop();
    }
  }
  await attempt('2/4 processor drain', () => processorDrainCase(ctx));
  await attempt('7 seed workload', () => seedWorkloadCase(ctx));
} finally {
  await cleanUp();
}
if (caseTimes.length > 0) {
  notes.push(`time per case: ${caseTimes.join(', ')}`);
}

const caseOrder = (figure: Figure) => figure.case;
figures.sort((a, b) => caseOrder(a).localeCompare(caseOrder(b)));
const ratios = [
  ratioOf(
    figures,
    'produce.ratio',
    'producer path / kafkajs ceiling',
    'produce.product',
    'produce.ceiling',
    '1 produce',
  ),
  ratioOf(
    figures,
    'drain.ratio',
    'processor drain / ingest write ceiling',
    'drain.one',
    'cassandra.ceiling',
    '2 cassandra',
  ),
  ratioOf(
    figures,
    'e2e.stored.ratio',
    'end-to-end stored / ingest write ceiling',
    'e2e.throughput',
    'cassandra.ceiling',
    '3 end-to-end',
  ),
  ratioOf(
    figures,
    'e2e.ratio',
    'end-to-end searchable / chosen model INSERT ceiling',
    'e2e.searchable',
    'cassandra.model',
    '3 end-to-end',
  ),
  ratioOf(figures, 'scale.ratio', '2 processes / 1 process', 'drain.two', 'drain.one.scale', '4 scale-out'),
  ...(figures.some((figure) => figure.id === 'drain.three')
    ? [
        ratioOf(
          figures,
          'scale.ratio3',
          '3 processes / 1 process',
          'drain.three',
          'drain.one.scale',
          '4 scale-out',
        ),
      ]
    : []),
  ratioOf(figures, 'seed.ratio', 'processor / bare loop', 'seed.product', 'seed.bare', '7 seed workload'),
];
const backendRss = figures.find((f) => f.id === 'memory.backend.rss');
const backendPeak =
  medianOf(figures, 'memory.backend.hwm') ?? (backendRss && summary(backendRss)?.max) ?? null;
const processorPeak = medianOf(figures, 'memory.processor.hwm');
const ratioValue = (id: string) => ratios.find((r) => r.id === id)?.value ?? null;
const targets = [
  target('producer path / kafkajs ceiling', ratioValue('produce.ratio'), '>=', 0.8, 'x'),
  target(
    'chosen search model INSERT / unindexed',
    medianOf(figures, 'cassandra.model.ratio'),
    '>=',
    0.6,
    'x',
  ),
  target('end-to-end searchable / chosen model INSERT ceiling', ratioValue('e2e.ratio'), '>=', 0.85, 'x'),
  target('p99 ingest -> stored at 1,000 users/s', medianOf(figures, 'latency.p99.all'), '<=', 100, 'ms'),
  target('2 processor processes / 1', ratioValue('scale.ratio'), '>=', 1, 'x'),
  target('backend peak RSS during case 3', backendPeak, '<=', 300, 'MB'),
  target('processor peak RSS during case 3', processorPeak, '<=', 300, 'MB'),
  target('seed workload: processor / bare loop', ratioValue('seed.ratio'), '>=', 0.85, 'x'),
];

const finishedAt = new Date();
const versions = {
  node: process.version,
  kafkajs: packageVersion('kafkajs'),
  'cassandra-driver': packageVersion('cassandra-driver'),
  'socket.io-client': packageVersion('socket.io-client'),
  ...stackVersions(),
};
const machine = {
  cpus: cpus().length,
  memoryMb: Math.round(totalmem() / 1024 / 1024),
  loadAverageStart,
  loadAverageEnd: loadavg(),
};
const result = buildResultFile({
  startedAt,
  finishedAt,
  mode: settings.mode,
  versions,
  machine,
  settings: {
    ...settings,
    topicPrefix: prefix,
    keyspace,
    partitions: config.kafka.partitions,
    kafkaBrokers: config.kafka.brokers,
  },
  figures,
  ratios,
  targets,
  notes,
});
const resultDir = path.join(ROOT, 'bench', 'results');
mkdirSync(resultDir, { recursive: true });
const resultPath = path.join(resultDir, resultFileName(startedAt));
writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);

const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' / ');
const out = [
  '',
  `userstream benchmark (${settings.mode}), ${startedAt.toISOString()}, ${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s`,
  `${machine.cpus} CPUs; load average ${load(loadAverageStart)} at start, ${load(machine.loadAverageEnd)} at end`,
  Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', '),
  '',
  formatTable(tableRows(figures, ratios)),
  '',
  'Targets:',
  formatTargets(targets),
  '',
  'Notes:',
  ...figures.filter((f) => f.note).map((f) => `  ${f.case} / ${f.name} [${f.unit}]: ${f.note}`),
  ...notes.map((note) => `  ${note}`),
  '',
  `results: ${path.relative(ROOT, resultPath)}`,
  '',
];
process.stdout.write(out.join('\n'));
process.exit(failures === 0 ? 0 : 1);
