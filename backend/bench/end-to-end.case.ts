/**
 * Cases 3 and 5, end to end and memory. A synthetic run as fast as possible through the real pipeline
 * (the backend, APP_ROLE=api, and one processor are processes of their own), timed from the run's
 * start to the moment the processor group has committed the last record (so every row is stored);
 * then a steady 1,000 users/s run for the ingest -> stored latency. RSS of the backend and of the
 * processor is sampled all along.
 *
 * Latency: the processor publishes a user to the processed topic only after its Cassandra write
 * succeeded, and its producer stamps the record's Kafka timestamp when it sends it, so (that timestamp -
 * ingestedAt) bounds ingest -> stored from above, and is what the targets use. processedAt - ingestedAt
 * from the same record is a lower bound: the processor stamps processedAt when a batch starts, before
 * writing it. The time this process receives the record adds its own consumer's fetch ("seen downstream").
 * The steady run starts once Cassandra has no compaction or index build left from the throughput rounds.
 */
import { performance } from 'node:perf_hooks';
import type { Consumer } from 'kafkajs';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { inRounds, megabytes, pollUntil, progress, RssSampler, withTimeout } from './harness.js';
import type { BackendProcess, HeapReport } from './backend-process.js';
import { SEARCH_INDEXER_GROUP_SUFFIX } from '#src/users/users-search.indexer.js';
import type { Figure } from './report.js';
import { percentile, perSecond } from './stats.js';

const CASE = '3 end-to-end';

interface Delivered {
  runId: string | null;
  ingestedAt: number;
  processedAt: number;
  publishedAt: number;
  receivedAt: number;
}

/** Per round, besides the stored rate it returns: the produce phase, and the rate until every user is searchable. */
interface RoundPhases {
  produce: number[];
  searchable: number[];
}

/**
 * One synthetic run of `users` as fast as the pipeline goes; users/s from start to the processors' last commit
 * (every row stored). Timed alongside: until the search indexer has committed every user the processor
 * published, the chosen model's whole write, which its INSERT ceiling compares with.
 */
async function throughputRound(
  ctx: BenchContext,
  users: number,
  seed: string,
  phases: RoundPhases,
  notes: string[],
): Promise<number> {
  const { runs, stack, config } = ctx;
  const topic = config.kafka.topics.rawUsers;
  const processed = config.kafka.topics.processedUsers;
  const group = config.kafka.processorGroupId;
  const indexer = `${group}${SEARCH_INDEXER_GROUP_SUFFIX}`;
  const [before, processedBefore] = await Promise.all([stack.endOffset(topic), stack.endOffset(processed)]);
  const started = performance.now();
  const run = await runs.start({
    source: 'synthetic',
    ratePerSecond: 1_000_000,
    batchSize: ctx.settings.endToEnd.batchSize,
    maxRecords: users,
    seed,
  });
  let producedAt: number | undefined;
  const timeout = { intervalMs: 100, timeoutMs: 120_000 + 5 * users };
  // watched side by side: the indexer may commit a user before the processor's timer commits its record
  const [drainedAt, searchableAt] = await Promise.all([
    pollUntil(
      `run ${run.id} to be stored`,
      async () => {
        const at = performance.now();
        const { end, drained } = await stack.progress(group, topic);
        if (producedAt === undefined && end >= before + BigInt(users)) {
          producedAt = at;
        }
        return producedAt !== undefined && drained ? at : undefined;
      },
      timeout,
    ),
    // the processor publishes each user once stored (a redelivered one maybe twice): at least `users` records
    pollUntil(
      `the search indexer to index run ${run.id}`,
      async () => {
        const at = performance.now();
        const { end, drained } = await stack.progress(indexer, processed);
        return end >= processedBefore + BigInt(users) && drained ? at : undefined;
      },
      timeout,
    ),
  ]);
  const final = await runs.completed(run.id, 60_000);
  if (final.counters.stored !== users) {
    notes.push(`${seed}: the run's stored count (Cassandra, by run) is ${final.counters.stored} of ${users}`);
  }
  phases.produce.push(perSecond(users, producedAt! - started));
  phases.searchable.push(perSecond(users, searchableAt - started));
  return perSecond(users, drainedAt - started);
}

/** Reads the processed topic from its end, stamping each record with the time it arrived. */
async function processedListener(ctx: BenchContext, delivered: Delivered[]): Promise<Consumer> {
  const consumer = ctx.stack.kafka.consumer({
    groupId: `${ctx.prefix}latency`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: ctx.config.kafka.topics.processedUsers, fromBeginning: false });
  await consumer.run({
    eachBatch: ({ batch }) => {
      const receivedAt = Date.now();
      for (const message of batch.messages) {
        if (!message.value) {
          continue;
        }
        const user = JSON.parse(message.value.toString()) as {
          runId: string | null;
          ingestedAt: string | null;
          processedAt: string;
        };
        if (!user.ingestedAt) {
          continue;
        }
        delivered.push({
          runId: user.runId,
          ingestedAt: Date.parse(user.ingestedAt),
          processedAt: Date.parse(user.processedAt),
          publishedAt: Number(message.timestamp),
          receivedAt,
        });
      }
      return Promise.resolve();
    },
  });
  await withTimeout(joined, 60_000, 'the latency consumer to join its group');
  return consumer;
}

/** The latency figures: each percentile per window of the steady run (its spread), and over all records. */
function latencyFigures(ctx: BenchContext, records: Delivered[]): Figure[] {
  const { seconds, warmupSeconds, windows, ratePerSecond } = ctx.settings.latency;
  const start = Math.min(...records.map((r) => r.ingestedAt)) + warmupSeconds * 1000;
  const measured = records.filter((r) => r.ingestedAt >= start);
  const width = ((seconds - warmupSeconds) * 1000) / windows;
  const byWindow = Array.from({ length: windows }, () => [] as number[]);
  for (const r of measured) {
    byWindow[Math.min(windows - 1, Math.floor((r.ingestedAt - start) / width))]!.push(
      r.publishedAt - r.ingestedAt,
    );
  }
  const upper = measured.map((r) => r.publishedAt - r.ingestedAt);
  const seen = measured.map((r) => r.receivedAt - r.ingestedAt);
  const lower = measured.map((r) => r.processedAt - r.ingestedAt);
  const windowNote = `per ${Math.round(width / 100) / 10} s window of a ${ratePerSecond.toLocaleString('en')} users/s run (${windows} windows after ${warmupSeconds} s warm-up)`;
  const perWindow = (p: number) => byWindow.filter((w) => w.length > 0).map((w) => percentile(w, p));
  const figure = (id: string, name: string, samples: number[], note: string): Figure => ({
    id,
    case: CASE,
    name,
    unit: 'ms',
    samples,
    warmup: [],
    note,
  });
  return [
    figure('latency.p50', 'ingest -> stored p50 (upper bound)', perWindow(50), windowNote),
    figure('latency.p95', 'ingest -> stored p95 (upper bound)', perWindow(95), windowNote),
    figure('latency.p99', 'ingest -> stored p99 (upper bound)', perWindow(99), windowNote),
    {
      ...figure(
        'latency.p99.all',
        'ingest -> stored p99, all records',
        [percentile(upper, 99)],
        `${upper.length.toLocaleString('en')} records; processed record's Kafka timestamp - ingestedAt`,
      ),
      distribution: upper,
    },
    figure(
      'latency.seen.p99',
      'ingest -> seen downstream p99',
      [percentile(seen, 99)],
      'time a consumer of the processed topic receives the record - ingestedAt, all records',
    ),
    {
      ...figure(
        'latency.lower.p50',
        'ingest -> processing p50 (lower bound)',
        [percentile(lower, 50)],
        'processedAt - ingestedAt, all records',
      ),
      distribution: lower,
    },
    figure(
      'latency.lower.p99',
      'ingest -> processing p99 (lower bound)',
      [percentile(lower, 99)],
      'processedAt - ingestedAt, all records',
    ),
  ];
}

/**
 * Waits (up to `timeoutMs`) until the search indexer has caught up with the processed topic and Cassandra
 * runs no compaction or index build: what the throughput rounds left behind. Returns the seconds waited.
 */
async function settle(ctx: BenchContext, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  const indexer = `${ctx.config.kafka.processorGroupId}${SEARCH_INDEXER_GROUP_SUFFIX}`;
  const processed = ctx.config.kafka.topics.processedUsers;
  try {
    await pollUntil(
      'the search indexer to catch up and Cassandra to settle',
      async () => {
        const [{ drained }, tasks] = await Promise.all([
          ctx.stack.progress(indexer, processed),
          ctx.stack.runningCompactions(),
        ]);
        return drained && tasks === 0 ? true : undefined;
      },
      { intervalMs: 1_000, timeoutMs },
    );
    return (performance.now() - started) / 1000;
  } catch {
    return null;
  }
}

async function latencyRun(ctx: BenchContext): Promise<Figure[]> {
  const { ratePerSecond, batchSize, seconds, settleSeconds } = ctx.settings.latency;
  const delivered: Delivered[] = [];
  const consumer = await processedListener(ctx, delivered);
  try {
    progress(`${CASE}: waiting up to ${settleSeconds} s for Cassandra to settle`);
    const settled = await settle(ctx, settleSeconds * 1000);
    progress(`${CASE}: steady ${ratePerSecond.toLocaleString('en')} users/s for ${seconds} s`);
    const rawTopic = ctx.config.kafka.topics.rawUsers;
    const compactionsBefore = await ctx.stack.runningCompactions().catch(() => null);
    const flushesBefore = await ctx.stack.completedFlushes().catch(() => null);
    const before = await ctx.stack.endOffset(rawTopic);
    const run = await ctx.runs.start({
      source: 'synthetic',
      ratePerSecond,
      batchSize,
      durationSeconds: seconds,
      seed: `${ctx.prefix}latency`,
    });
    await ctx.runs.completed(run.id, (seconds + 60) * 1000);
    const produced = Number((await ctx.stack.endOffset(rawTopic)) - before);
    const records = await pollUntil(
      'every processed record of the latency run',
      () => {
        const mine = delivered.filter((r) => r.runId === run.id);
        return Promise.resolve(mine.length >= produced ? mine : undefined);
      },
      { intervalMs: 200, timeoutMs: 30_000 },
    );
    const compactionsAfter = await ctx.stack.runningCompactions().catch(() => null);
    const flushesAfter = await ctx.stack.completedFlushes().catch(() => null);
    const flushes = flushesBefore === null || flushesAfter === null ? '?' : flushesAfter - flushesBefore;
    const settling =
      settled === null
        ? `Cassandra had not settled after ${settleSeconds} s`
        : `settled after ${settled.toFixed(0)} s`;
    const compaction = `${settling}; Cassandra sstable tasks (compactions, index builds) at start / end: ${compactionsBefore ?? '?'} / ${compactionsAfter ?? '?'}; memtable flushes during the run: ${flushes}`;
    return latencyFigures(ctx, records).map((figure) => ({
      ...figure,
      note: `${figure.note}; ${compaction}`,
    }));
  } finally {
    await consumer.disconnect();
  }
}

export async function endToEndCase(ctx: BenchContext, processor: BackendProcess): Promise<CaseOutcome> {
  const plan = ctx.settings.endToEnd;
  const sampler = new RssSampler(ctx.settings.rssIntervalMs);
  sampler.track('backend', ctx.backend.pid);
  sampler.track('processor', processor.pid);
  sampler.start();
  const phases: RoundPhases = { produce: [], searchable: [] };
  const notes: string[] = [];
  let throughput;
  let latency;
  try {
    throughput = await inRounds(`${CASE}: synthetic run`, plan, 'users/s', (round, warmup) =>
      throughputRound(
        ctx,
        warmup ? plan.warmupUsers : plan.users,
        `${ctx.prefix}e2e-${round}`,
        phases,
        notes,
      ),
    );
    latency = await latencyRun(ctx);
  } finally {
    sampler.stop();
  }
  const memory = sampler.results();
  const [backendHeap, processorHeap] = await Promise.all([ctx.backend.heap(), processor.heap()]);
  const heapNote = (heap: HeapReport) =>
    heap.collected
      ? 'process.memoryUsage().heapUsed after a full GC'
      : 'process.memoryUsage().heapUsed (no --expose-gc: garbage included)';
  const backend = memory.get('backend')!;
  const proc = memory.get('processor')!;
  const hwmNote = (reset: boolean) =>
    reset ? 'peak during cases 3 and 5 (VmHWM reset at start)' : 'peak over the process life (VmHWM)';
  const rssNote = `${ctx.settings.rssIntervalMs} ms samples of VmRSS during case 3; max = sampled peak`;
  const measured = (samples: number[]) => ({
    samples: samples.slice(plan.warmup),
    warmup: samples.slice(0, plan.warmup),
  });
  return {
    notes,
    figures: [
      {
        id: 'e2e.throughput',
        case: CASE,
        name: `synthetic run, start -> last row stored`,
        unit: 'users/s',
        ...throughput,
        note: `${plan.users.toLocaleString('en')} users/round, batchSize ${plan.batchSize}, 1 processor process`,
      },
      {
        id: 'e2e.searchable',
        case: CASE,
        name: 'same runs, start -> last user indexed for search',
        unit: 'users/s',
        ...measured(phases.searchable),
        note: 'the search indexer (in the backend) has committed every user the processor published',
      },
      {
        id: 'e2e.produce',
        case: CASE,
        name: 'same runs, produce phase only',
        unit: 'records/s',
        ...measured(phases.produce),
      },
      ...latency,
      {
        id: 'memory.backend.rss',
        case: '5 memory',
        name: 'backend RSS',
        unit: 'MB',
        samples: backend.rssMb,
        warmup: [],
        note: rssNote,
      },
      {
        id: 'memory.backend.hwm',
        case: '5 memory',
        name: 'backend VmHWM',
        unit: 'MB',
        samples: backend.hwmMb === undefined ? [] : [backend.hwmMb],
        warmup: [],
        note: hwmNote(backend.hwmReset),
      },
      {
        id: 'memory.backend.heap',
        case: '5 memory',
        name: 'backend heap used after',
        unit: 'MB',
        samples: [megabytes(backendHeap.heapUsed)],
        warmup: [],
        note: heapNote(backendHeap),
      },
      {
        id: 'memory.processor.rss',
        case: '5 memory',
        name: 'processor RSS',
        unit: 'MB',
        samples: proc.rssMb,
        warmup: [],
        note: rssNote,
      },
      {
        id: 'memory.processor.hwm',
        case: '5 memory',
        name: 'processor VmHWM',
        unit: 'MB',
        samples: proc.hwmMb === undefined ? [] : [proc.hwmMb],
        warmup: [],
        note: hwmNote(proc.hwmReset),
      },
      {
        id: 'memory.processor.heap',
        case: '5 memory',
        name: 'processor heap used after',
        unit: 'MB',
        samples: [megabytes(processorHeap.heapUsed)],
        warmup: [],
        note: heapNote(processorHeap),
      },
    ],
  };
}
