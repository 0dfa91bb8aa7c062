/**
 * Case 1, Kafka produce ceiling: a raw kafkajs producer configured as the product's (idempotent,
 * acks=-1, no compression) sending pre-serialised synthetic users in the product's batch size and
 * sends in flight; then the product's own producer path, a run started through the backend's REST API on
 * a bench topic (so no processor is involved) with the rate limiter effectively off.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompressionTypes, type Message } from 'kafkajs';
import { rawMessages, recordBytes } from './bench-data.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { inRounds, pollUntil, progress } from './harness.js';
import { perSecond } from './stats.js';

const CASE = '1 produce';

export async function kafkaProduceCase(ctx: BenchContext): Promise<CaseOutcome> {
  const { settings, stack, prefix, runs } = ctx;
  const plan = settings.produce;
  const topic = `${prefix}produce`;
  await stack.createTopic(topic, ctx.config.kafka.partitions);

  progress(`${CASE}: serialising ${plan.poolSize.toLocaleString('en')} synthetic users`);
  const pool = rawMessages(`bench-produce-${prefix}`, 0, plan.poolSize, randomUUID());
  const meanBytes = pool.reduce((sum, message) => sum + recordBytes(message), 0) / pool.length;

  const producer = stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  await producer.connect();
  const batchAt = (offset: number, count: number): Message[] => {
    const start = offset % pool.length;
    const batch = pool.slice(start, start + count);
    return batch.length === count ? batch : batch.concat(pool.slice(0, count - batch.length));
  };
  const produceRaw = async (records: number): Promise<number> => {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    for (let sent = 0; sent < records && !failure; ) {
      const count = Math.min(plan.batchSize, records - sent);
      const send = producer
        .send({ topic, messages: batchAt(sent, count), acks: -1, compression: CompressionTypes.None })
        .then(
          () => undefined,
          (error: Error) => {
            failure ??= error;
          },
        );
      sent += count;
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send));
      if (inFlight.size >= plan.inFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    return perSecond(records, performance.now() - started);
  };

  let ceiling;
  try {
    ceiling = await inRounds(`${CASE}: kafkajs ceiling`, plan, 'records/s', (_, warmup) =>
      produceRaw(warmup ? plan.warmupRecords : plan.records),
    );
  } finally {
    await producer.disconnect();
  }

  const produceRun = async (round: number, warmup: boolean): Promise<number> => {
    const records = warmup ? plan.warmupRecords : plan.records;
    const before = await stack.endOffset(topic);
    const started = performance.now();
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 1_000_000,
      batchSize: plan.batchSize,
      maxRecords: records,
      seed: `${prefix}produce-${round}`,
      topic,
    });
    // the topic itself says when everything was produced (the run's counters are written by heartbeats)
    const elapsed = await pollUntil(
      `run ${run.id} to produce ${records} records`,
      async () =>
        (await stack.endOffset(topic)) - before >= BigInt(records) ? performance.now() - started : undefined,
      { intervalMs: 20, timeoutMs: 60_000 + records },
    );
    await runs.completed(run.id, 60_000);
    const produced = (await stack.endOffset(topic)) - before;
    if (produced !== BigInt(records)) throw new Error(`producer run wrote ${produced} of ${records} records`);
    return perSecond(records, elapsed);
  };
  const product = await inRounds(`${CASE}: userstream producer path`, plan, 'records/s', produceRun);

  const mb = (rates: number[]) => rates.map((rate) => (rate * meanBytes) / 1_000_000);
  const shape = `${plan.batchSize.toLocaleString('en')}-record sends, ${plan.inFlight} in flight, ${Math.round(meanBytes)} B/record`;
  return {
    figures: [
      {
        id: 'produce.ceiling',
        case: CASE,
        name: 'kafkajs producer ceiling',
        unit: 'records/s',
        ...ceiling,
        note: `${plan.records.toLocaleString('en')} records/round, ${shape}`,
      },
      {
        id: 'produce.ceiling.mb',
        case: CASE,
        name: 'kafkajs producer ceiling',
        unit: 'MB/s',
        samples: mb(ceiling.samples),
        warmup: mb(ceiling.warmup),
        note: 'key + value + headers',
      },
      {
        id: 'produce.product',
        case: CASE,
        name: 'userstream producer path (RunExecution)',
        unit: 'records/s',
        ...product,
        note: 'synthetic source generates and serialises each user; run start to settled',
      },
      {
        id: 'produce.product.mb',
        case: CASE,
        name: 'userstream producer path (RunExecution)',
        unit: 'MB/s',
        samples: mb(product.samples),
        warmup: mb(product.warmup),
      },
    ],
  };
}
