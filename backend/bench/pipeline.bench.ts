/**
 * `npm run bench:pipeline`: end-to-end users/s of one synthetic run (default 100,000 users) through the real
 * stack, from the run's start to the moment the processor group has committed its last record (every user
 * stored in Cassandra by then). Prints figures; asserts nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createApp } from '#src/bootstrap.js';
import { loadConfig } from '#src/config/config.module.js';
import { RunsService } from '#src/ingestion/runs/runs.service.js';
import { KafkaAdminRepository } from '#src/kafka/kafka-admin.repository.js';
import { UsersRepository } from '#src/users/users.repository.js';

const total = Number(process.argv[2] ?? 100_000);
const config = loadConfig({ LOG_LEVEL: 'warn', NODE_ENV: 'test', ...process.env });
const app = await createApp(config);
await app.init();
await app.startAllMicroservices();
const runs = app.get(RunsService);
const kafkaAdmin = app.get(KafkaAdminRepository);

/** Every partition's committed offset has reached its high watermark. */
async function drained(): Promise<boolean> {
  const { processorGroupId, topics } = config.kafka;
  const [ends, offsets] = await Promise.all([
    kafkaAdmin.topicWatermarks(topics.rawUsers, [...Array(config.kafka.partitions).keys()]),
    kafkaAdmin.committedOffsets([processorGroupId], topics.rawUsers),
  ]);
  const committed = offsets.get(processorGroupId) ?? [];
  return ends.every(({ partition, high }) => {
    const done = committed.find((c) => c.partition === partition)?.offset ?? -1;
    return done >= high;
  });
}

// warm-up: JIT in both JVMs and in Node, prepared statements, group join
const warmup = await runs.start({
  source: 'synthetic',
  ratePerSecond: 1_000_000,
  batchSize: 2_000,
  maxRecords: 10_000,
});
await runs.settled(warmup.id);

const started = performance.now();
const run = await runs.start({
  source: 'synthetic',
  ratePerSecond: 1_000_000,
  batchSize: 5_000,
  maxRecords: total,
  seed: `bench-${Date.now()}`,
});
let producedAt: number | undefined;
for (;;) {
  const current = await runs.find(run.id);
  if (producedAt === undefined && current.counters.produced >= total) {
    producedAt = performance.now();
  }
  if (producedAt !== undefined && (await drained())) {
    break;
  }
  if (['failed', 'stopped', 'interrupted'].includes(current.state)) {
    throw new Error(`run ended ${current.state}: ${current.error}`);
  }
  await sleep(100);
}
const endToEndMs = performance.now() - started;
await runs.settled(run.id);
const final = await runs.find(run.id);
const stored = await app.get(UsersRepository).countByRun(run.id);
await app.close();

const seconds = (ms: number) => (ms / 1000).toFixed(1);
console.log('\nuserstream pipeline benchmark (synthetic source, in-process processor, local stack)');
console.table([
  { figure: 'users', value: total.toLocaleString('en') },
  { figure: 'produce phase (s)', value: seconds((producedAt ?? endToEndMs) - started) },
  {
    figure: 'produce rate (users/s)',
    value: Math.round(total / (((producedAt ?? endToEndMs) - started) / 1000)),
  },
  { figure: 'end to end (s)', value: seconds(endToEndMs) },
  { figure: 'end-to-end rate (users/s)', value: Math.round(total / (endToEndMs / 1000)) },
  { figure: 'run state', value: final.state },
  { figure: 'stored (Cassandra count)', value: stored },
]);
console.log(`end-to-end: ${Math.round(total / (endToEndMs / 1000))} users/s (target 10,000 users/s)`);
