/**
 * Case 1, Kafka produce ceiling: a raw kafkajs producer with the run path's settings (not idempotent,
 * acks=-1, no compression, requests sized by the same byte budget, as many in flight) sending pre-serialised
 * synthetic users; then the product's own producer path, a run started through the backend's REST API on a
 * bench topic (so no processor is involved) with the rate limiter effectively off. Both send the same users
 * (same seed, so the same bytes) with the same headers to topics set up alike, and their rounds alternate,
 * so a change in the machine's load falls on both. Measured alongside for reference: an idempotent kafkajs
 * producer (one request in flight per broker, the product's path before 2026-12-04) and the client the run
 * path produces with (@platformatic/kafka since 2026-12-06) sending the pre-serialised users as kafkajs does.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import { RawUserHeaders } from '@userstream/contracts';
import {
  chunkByBytes,
  createBulkProducer,
  MAX_REQUEST_BYTES,
  type RunRecord,
  sendRunRecords,
  UNORDERED_IN_FLIGHT,
} from '#src/kafka/kafka-producer.service.js';
import { rawMessages, recordBytes } from './bench-data.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { pollUntil, progress, type RoundSamples } from './harness.js';
import { perSecond } from './stats.js';

const CASE = '1 produce';
const RETRY = { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 };

export async function kafkaProduceCase(ctx: BenchContext): Promise<CaseOutcome> {
  const { settings, stack, prefix, runs } = ctx;
  const plan = settings.produce;
  const seed = `${prefix}produce`;
  const topics = {
    ceiling: `${prefix}produce-raw`,
    idempotent: `${prefix}produce-idem`,
    bulkClient: `${prefix}produce-bulk`,
    product: `${prefix}produce`,
  };
  for (const topic of Object.values(topics)) {
    await stack.createTopic(topic, ctx.config.kafka.partitions);
  }

  progress(`${CASE}: serialising ${plan.poolSize.toLocaleString('en')} synthetic users`);
  // users 0..poolSize-1 of the seed the product's runs generate, with the four headers a run attaches
  const fetchedAt = { [RawUserHeaders.fetchedAt]: new Date().toISOString() };
  const pool = (await rawMessages(seed, 0, plan.poolSize, randomUUID())).map(
    (message): RunRecord => ({
      key: message.key as string,
      value: message.value as Buffer,
      headers: { ...(message.headers as Record<string, string>), ...fetchedAt },
    }),
  );
  const meanBytes = pool.reduce((sum, message) => sum + recordBytes(message), 0) / pool.length;

  const unordered = stack.kafka.producer({ idempotent: false, allowAutoTopicCreation: false, retry: RETRY });
  const idempotent = stack.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    retry: RETRY,
  });
  await Promise.all([unordered.connect(), idempotent.connect()]);
  // the client the product's runs produce with, configured as they use it
  const bulk = createBulkProducer(`${prefix}bench`, ctx.config.kafka.brokers);

  const pageAt = (offset: number, count: number): RunRecord[] => {
    const start = offset % pool.length;
    const page = pool.slice(start, start + count);
    return page.length === count ? page : page.concat(pool.slice(0, count - page.length));
  };
  const kafkajsSend = (producer: Producer, topic: string) => (messages: Message[]) =>
    producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
  const bulkSend = (topic: string) => (records: RunRecord[]) => sendRunRecords(bulk, topic, records);
  /** Pages of `batchSize` records as a run reads them, cut into byte-sized requests, `inFlight` at once. */
  const produceRaw = async (
    send: (chunk: RunRecord[]) => Promise<unknown>,
    records: number,
  ): Promise<number> => {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    for (let sent = 0; sent < records && !failure; ) {
      const count = Math.min(plan.batchSize, records - sent);
      for (const chunk of chunkByBytes(pageAt(sent, count))) {
        const sent = send(chunk).then(
          () => undefined,
          (error: Error) => {
            failure ??= error;
          },
        );
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        if (inFlight.size >= UNORDERED_IN_FLIGHT) {
          await Promise.race(inFlight);
        }
      }
      sent += count;
    }
    await Promise.all(inFlight);
    if (failure) {
      throw failure;
    }
    return perSecond(records, performance.now() - started);
  };

  const produceRun = async (records: number): Promise<number> => {
    const before = await stack.endOffset(topics.product);
    const started = performance.now();
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 1_000_000,
      batchSize: plan.batchSize,
      maxRecords: records,
      seed,
      topic: topics.product,
    });
    // the topic itself says when everything was produced (the run's counters are written by heartbeats)
    const elapsed = await pollUntil(
      `run ${run.id} to produce ${records} records`,
      async () =>
        (await stack.endOffset(topics.product)) - before >= BigInt(records)
          ? performance.now() - started
          : undefined,
      { intervalMs: 20, timeoutMs: 60_000 + records },
    );
    await runs.completed(run.id, 60_000);
    const produced = (await stack.endOffset(topics.product)) - before;
    if (produced !== BigInt(records)) {
      throw new Error(`producer run wrote ${produced} of ${records} records`);
    }
    return perSecond(records, elapsed);
  };

  const sides = {
    ceiling: (records: number) => produceRaw(kafkajsSend(unordered, topics.ceiling), records),
    idempotent: (records: number) => produceRaw(kafkajsSend(idempotent, topics.idempotent), records),
    bulkClient: (records: number) => produceRaw(bulkSend(topics.bulkClient), records),
    product: produceRun,
  };
  const results: Record<keyof typeof sides, RoundSamples> = {
    ceiling: { warmup: [], samples: [] },
    idempotent: { warmup: [], samples: [] },
    bulkClient: { warmup: [], samples: [] },
    product: { warmup: [], samples: [] },
  };
  try {
    for (let round = 0; round < plan.warmup + plan.rounds; round++) {
      const warmup = round < plan.warmup;
      const records = warmup ? plan.warmupRecords : plan.records;
      const line: string[] = [];
      for (const [side, measure] of Object.entries(sides) as [keyof typeof sides, typeof produceRun][]) {
        const rate = await measure(records);
        (warmup ? results[side].warmup : results[side].samples).push(rate);
        line.push(`${side} ${Math.round(rate).toLocaleString('en')}`);
      }
      const which = warmup ? `warm-up ${round + 1}` : `round ${round - plan.warmup + 1}/${plan.rounds}`;
      progress(`${CASE}: ${which}: ${line.join(', ')} records/s`);
    }
  } finally {
    await Promise.all([unordered.disconnect(), idempotent.disconnect(), bulk.close()]);
  }

  const { ceiling, product } = results;
  const mb = (rates: number[]) => rates.map((rate) => (rate * meanBytes) / 1_000_000);
  const shape =
    `${plan.batchSize.toLocaleString('en')}-record pages in requests of <= ${MAX_REQUEST_BYTES / 1024} KiB, ` +
    `${UNORDERED_IN_FLIGHT} in flight, ${Math.round(meanBytes)} B/record`;
  return {
    figures: [
      {
        id: 'produce.ceiling',
        case: CASE,
        name: 'kafkajs producer ceiling',
        unit: 'records/s',
        ...ceiling,
        note: `${plan.records.toLocaleString('en')} records/round, ${shape}, not idempotent, acks=-1`,
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
        id: 'produce.idempotent',
        case: CASE,
        name: 'kafkajs idempotent producer (reference)',
        unit: 'records/s',
        ...results.idempotent,
        note: 'same requests; kafkajs holds one request in flight per broker when idempotent',
      },
      {
        id: 'produce.bulk-client',
        case: CASE,
        name: '@platformatic/kafka producer (reference)',
        unit: 'records/s',
        ...results.bulkClient,
        note: "same requests, on the client and settings of the product's run path",
      },
      {
        id: 'produce.product',
        case: CASE,
        name: 'userstream producer path (RunExecution)',
        unit: 'records/s',
        ...product,
        note: 'same users and headers; the synthetic source generates and serialises each user; run start to last record acknowledged',
      },
      {
        id: 'produce.product.mb',
        case: CASE,
        name: 'userstream producer path (RunExecution)',
        unit: 'MB/s',
        samples: mb(product.samples),
        warmup: mb(product.warmup),
      },
      {
        id: 'produce.paired',
        case: CASE,
        name: 'producer path / ceiling, round by round',
        unit: 'x',
        samples: product.samples.map((rate, i) => rate / ceiling.samples[i]!),
        warmup: product.warmup.map((rate, i) => rate / ceiling.warmup[i]!),
        note: 'each round measures both sides back to back',
      },
    ],
  };
}
