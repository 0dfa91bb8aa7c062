/**
 * Case 7, the tutorial's workload (seed compatibility): seed-format records as the Airflow + Spark
 * tutorial's producer writes them (flat JSON, Python's json.dumps, no key, no headers) on a fresh
 * 2-partition topic, drained into a table shaped as the tutorial's `created_users` twice in the same
 * round, on the same records:
 *
 *   product  a processor process (APP_ROLE=processor) in a fresh group, into `<bench keyspace>.created_users`
 *   bare     the loop the tutorial's users would write by hand, in this process: kafkajs eachBatch,
 *            JSON.parse, executeConcurrent of one prepared INSERT at concurrency 256, a commit per batch,
 *            into `<bench keyspace>.created_users_bare`
 *
 * Both are timed alike, from the first commit seen to the group's committed offsets reaching the high
 * watermarks (boot and group join left out). The two alternate which goes first from round to round, and
 * each round ends by checking that both tables hold every record.
 */
import { performance } from 'node:perf_hooks';
import { SEED_TABLE } from '@userstream/contracts';
import { concurrent } from 'cassandra-driver';
import { CompressionTypes } from 'kafkajs';
import { createdUsersTableCql } from '#src/seed/created-users.repository.js';
import { SEED_COLUMNS } from '#src/seed/seed-user.transform.js';
import { pythonJsonDumps, tutorialRecords } from '#src/seed/tutorial-records.js';
import { BackendProcess } from './backend-process.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { pollUntil, progress, sleep } from './harness.js';
import { perSecond } from './stats.js';

const CASE = '7 seed workload';
const PARTITIONS = 2;
const FILL_BATCH = 2_000;
const BARE_CONCURRENCY = 256;
const BARE_TABLE = `${SEED_TABLE}_bare`;
const PAGE_ROWS = 2_000;

/**
 * Always two rounds, so each side goes first once: the first drain of a run meets a colder Cassandra (a
 * single quick round of 50,000 put the processor, which went first, at 0.52x and then 0.86x of the loop).
 */
export const seedPlan = (quick: boolean) => ({
  warmup: 0,
  rounds: 2,
  records: quick ? 25_000 : 200_000,
});

/** Fills the topic as the tutorial's producer would (no key, no headers); returns the mean value size. */
async function fill(ctx: BenchContext, topic: string, seed: string, records: number): Promise<number> {
  const producer = ctx.stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  let bytes = 0;
  try {
    for (let from = 0; from < records; from += FILL_BATCH) {
      const messages = (await tutorialRecords(seed, from, Math.min(FILL_BATCH, records - from))).map(
        (record) => {
          const value = pythonJsonDumps(record);
          bytes += value.length;
          return { value };
        },
      );
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    }
  } finally {
    await producer.disconnect();
  }
  return bytes / records;
}

/**
 * Polls the group until it has committed everything on the topic; the rate counts the records committed
 * between the first commit seen and the last one.
 */
async function timeDrain(
  ctx: BenchContext,
  groupId: string,
  topic: string,
  total: bigint,
  alive: () => void,
): Promise<number> {
  let first: { at: number; committed: bigint } | undefined;
  const end = await pollUntil(
    `group ${groupId} to drain ${topic}`,
    async () => {
      alive();
      const at = performance.now();
      const now = await ctx.stack.progress(groupId, topic);
      if (!first && now.committed > 0n) {
        first = { at, committed: now.committed };
      }
      return now.drained ? at : undefined;
    },
    { intervalMs: 100, timeoutMs: 120_000 + 5 * Number(total) },
  );
  if (!first || first.committed >= total) {
    throw new Error('the drain ended before a first commit was seen');
  }
  return perSecond(Number(total - first.committed), end - first.at);
}

/** The product: one processor process whose seed topic is this round's. */
async function productDrain(
  ctx: BenchContext,
  topic: string,
  groupId: string,
  total: bigint,
): Promise<number> {
  const processor = BackendProcess.start(
    'processor',
    ctx.processorEnv({
      KAFKA_TOPIC_PREFIX: `${ctx.prefix}seed-`,
      SEED_TOPIC: topic,
      SEED_KEYSPACE: ctx.config.cassandra.keyspace,
      PROCESSOR_GROUP_ID: groupId,
    }),
  );
  try {
    return await timeDrain(ctx, groupId, topic, total, () => {
      if (!processor.running) {
        throw new Error(`the processor exited during the drain:\n${processor.tail()}`);
      }
    });
  } finally {
    await processor.stop();
  }
}

/** The bare loop, with what the tutorial's Spark job does to a record: parse, post_code as text, insert. */
async function bareDrain(ctx: BenchContext, topic: string, groupId: string, total: bigint): Promise<number> {
  const cassandra = ctx.stack.cassandra;
  const insert = `INSERT INTO ${BARE_TABLE} (${SEED_COLUMNS.join(', ')}) VALUES (${SEED_COLUMNS.map(() => '?').join(', ')})`;
  const consumer = ctx.stack.kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let failure: Error | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }) => {
        try {
          const params = batch.messages.map(({ value }) => {
            const record = JSON.parse(String(value)) as Record<string, unknown>;
            return SEED_COLUMNS.map((column) => String(record[column]));
          });
          await concurrent.executeConcurrent(cassandra, insert, params, {
            concurrencyLevel: BARE_CONCURRENCY,
            raiseOnFirstError: true,
          });
          const next = (BigInt(batch.lastOffset()) + 1n).toString();
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: next }]);
        } catch (error) {
          failure ??= error as Error;
          throw error;
        }
      },
    });
    return await timeDrain(ctx, groupId, topic, total, () => {
      if (failure) {
        throw failure;
      }
    });
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Rows in a table, counted page by page from here: a server-side `count(*)` over a few hundred thousand rows
 * times out on a loaded 2-core box, while each short page can be retried on its own.
 */
async function rowsIn(ctx: BenchContext, table: string): Promise<number> {
  let rows = 0;
  let pageState: string | undefined;
  do {
    const page = await withRetries(() =>
      ctx.stack.cassandra.execute(`SELECT id FROM ${table}`, [], {
        prepare: true,
        fetchSize: PAGE_ROWS,
        pageState,
        readTimeout: 60_000,
      }),
    );
    rows += page.rowLength;
    pageState = page.pageState ?? undefined;
  } while (pageState);
  return rows;
}

async function withRetries<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries) {
        throw error;
      }
      await sleep(1_000 * i);
    }
  }
}

export async function seedWorkloadCase(ctx: BenchContext): Promise<CaseOutcome> {
  const plan = seedPlan(ctx.settings.mode === 'quick');
  const keyspace = ctx.config.cassandra.keyspace;
  // the processors of this run write `<bench keyspace>.created_users` (SEED_KEYSPACE); the bare loop its twin
  await ctx.stack.cassandra.execute(createdUsersTableCql(`${keyspace}.${BARE_TABLE}`));
  const product: number[] = [];
  const bare: number[] = [];
  const sizes: number[] = [];

  for (let round = 0; round < plan.rounds; round++) {
    const label = `${CASE}: round ${round + 1}/${plan.rounds}`;
    const topic = `${ctx.prefix}seed-${round}-users_created`;
    await ctx.stack.createTopic(topic, PARTITIONS);
    progress(`${label}: filling ${topic} with ${plan.records.toLocaleString('en')} tutorial records`);
    sizes.push(await fill(ctx, topic, `${ctx.prefix}seed-${round}`, plan.records));
    const total = await ctx.stack.endOffset(topic);
    const runs = [
      async () => {
        product.push(await productDrain(ctx, topic, `${ctx.prefix}seed-${round}-product`, total));
        progress(`${label}: processor ${Math.round(product.at(-1)!).toLocaleString('en')} rows/s`);
      },
      async () => {
        bare.push(await bareDrain(ctx, topic, `${ctx.prefix}seed-${round}-bare`, total));
        progress(`${label}: bare loop ${Math.round(bare.at(-1)!).toLocaleString('en')} rows/s`);
      },
    ];
    // whoever goes second reads a topic already in the page cache and a warmer Cassandra: take turns
    if (round % 2 === 1) {
      runs.reverse();
    }
    for (const run of runs) {
      await run();
    }

    const expected = plan.records * (round + 1);
    const stored = await rowsIn(ctx, SEED_TABLE);
    const storedBare = await rowsIn(ctx, BARE_TABLE);
    if (stored !== expected || storedBare !== expected) {
      throw new Error(
        `after round ${round + 1}, ${SEED_TABLE} holds ${stored} rows and ${BARE_TABLE} ${storedBare}; expected ${expected}`,
      );
    }
  }

  const meanBytes = Math.round(sizes.reduce((sum, size) => sum + size, 0) / sizes.length);
  const note = `${plan.records.toLocaleString('en')} tutorial records (${meanBytes} B each), ${PARTITIONS} partitions, fresh topic and groups per round`;
  return {
    figures: [
      {
        id: 'seed.product',
        case: CASE,
        name: 'tutorial records, processor drain',
        unit: 'rows/s',
        samples: product,
        warmup: [],
        note,
      },
      {
        id: 'seed.bare',
        case: CASE,
        name: 'tutorial records, bare kafkajs + driver loop',
        unit: 'rows/s',
        samples: bare,
        warmup: [],
        note: `${note}; eachBatch, executeConcurrent concurrency ${BARE_CONCURRENCY}, a commit per batch, ${PARTITIONS} partitions at once`,
      },
    ],
  };
}
