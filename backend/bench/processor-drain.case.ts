/**
 * Cases 2b and 4, the processor draining a pre-filled raw topic into Cassandra: the topic is filled
 * first, then one (case 2) or two (case 4; and three on a cluster of three brokers or more, `--nodes 3`)
 * processor processes start in a fresh consumer group, and the round ends when the group's committed
 * offsets reach the high watermarks.
 *
 * The rate is timed from the first poll (every 100 ms) at which every process holds partitions and a
 * commit was made, to the last commit, counting only the records committed in between: process boot,
 * Nest start-up and the group join (and a rebalance while the second process joins) are left out, but
 * the first batches of a cold process (its JIT warm-up) are in, as they are in production.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { KafkaTopics } from '@userstream/contracts';
import { CompressionTypes } from 'kafkajs';
import { rawMessages } from './bench-data.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { inRounds, pollUntil, progress } from './harness.js';
import { BackendProcess } from './backend-process.js';
import { perSecond } from './stats.js';

const FILL_BATCH = 2_000;

/** Fills the topic with `records` distinct synthetic users, shaped as the product produces them. */
async function fill(ctx: BenchContext, topic: string, records: number): Promise<void> {
  const producer = ctx.stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const runId = randomUUID();
    for (let from = 0; from < records; from += FILL_BATCH) {
      const messages = await rawMessages(
        `${ctx.prefix}drain`,
        from,
        Math.min(FILL_BATCH, records - from),
        runId,
      );
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    }
  } finally {
    await producer.disconnect();
  }
}

export async function processorDrainCase(ctx: BenchContext): Promise<CaseOutcome> {
  const plan = ctx.settings.drain;
  const cluster = (await ctx.stack.brokerCount()) >= 3;
  const records = cluster ? plan.clusterRecords : plan.records;
  const drainPrefix = `${ctx.prefix}drain-`;
  const topic = drainPrefix + KafkaTopics.rawUsers;
  await ctx.stack.createTopic(topic, ctx.config.kafka.partitions);
  progress(`2/4 drain: filling ${topic} with ${records.toLocaleString('en')} users`);
  await fill(ctx, topic, records);
  const total = await ctx.stack.endOffset(topic);
  const notes: string[] = [];
  let groups = 0;

  const drain = async (processes: number): Promise<number> => {
    const groupId = `${drainPrefix}group-${++groups}`;
    const children = Array.from({ length: processes }, () =>
      BackendProcess.start(
        'processor',
        ctx.processorEnv({ KAFKA_TOPIC_PREFIX: drainPrefix, PROCESSOR_GROUP_ID: groupId }),
      ),
    );
    try {
      // the timing starts at the first poll where every process holds partitions and a commit was made
      const seen: {
        start?: { at: number; committed: bigint };
        fallback?: { at: number; committed: bigint };
      } = {};
      const end = await pollUntil(
        `group ${groupId} to drain ${topic}`,
        async () => {
          const dead = children.find((child) => !child.running);
          if (dead) {
            throw new Error(`a processor exited during the drain:\n${dead.tail()}`);
          }
          const at = performance.now();
          const now = await ctx.stack.progress(groupId, topic);
          if (!seen.start && now.committed > 0n) {
            seen.fallback ??= { at, committed: now.committed };
            if ((await ctx.stack.assignedMembers(groupId)) >= processes) {
              seen.start = { at, committed: now.committed };
            }
          }
          return now.drained ? at : undefined;
        },
        { intervalMs: 100, timeoutMs: 120_000 + 5 * Number(total) },
      );
      const first = seen.start ?? seen.fallback;
      if (!first || first.committed >= total) {
        throw new Error('the drain ended before a first commit was seen');
      }
      if (!seen.start) {
        notes.push(
          `drain with ${processes} processes: they never all held partitions at once; timed from the first commit`,
        );
      }
      return perSecond(Number(total - first.committed), end - first.at);
    } finally {
      await Promise.all(children.map((child) => child.stop()));
    }
  };

  const one = await inRounds('2 processor drain (1 process)', plan, 'rows/s', () => drain(1));
  const two = await inRounds(
    '4 processor drain (2 processes)',
    { warmup: 0, rounds: plan.scaleOutRounds },
    'rows/s',
    () => drain(2),
  );
  // a cluster has room to spread a third process's writes over more nodes
  const three = cluster
    ? await inRounds(
        '4 processor drain (3 processes)',
        { warmup: 0, rounds: plan.scaleOutRounds },
        'rows/s',
        () => drain(3),
      )
    : undefined;
  const note = `${records.toLocaleString('en')} records pre-filled, ${ctx.config.kafka.partitions} partitions, fresh group per round`;
  return {
    figures: [
      {
        id: 'drain.one',
        case: '2 cassandra',
        name: 'processor drain, 1 process',
        unit: 'rows/s',
        ...one,
        note,
      },
      {
        id: 'drain.one.scale',
        case: '4 scale-out',
        name: 'drain, 1 processor process',
        unit: 'rows/s',
        ...one,
        note,
      },
      {
        id: 'drain.two',
        case: '4 scale-out',
        name: 'drain, 2 processor processes',
        unit: 'rows/s',
        ...two,
        note,
      },
      ...(three
        ? [
            {
              id: 'drain.three',
              case: '4 scale-out',
              name: 'drain, 3 processor processes',
              unit: 'rows/s',
              ...three,
              note,
            },
          ]
        : []),
    ],
    notes,
  };
}
