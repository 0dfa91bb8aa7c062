import type { INestApplication } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { reconcileSynthetic, recordRow, sleep, startLatencyProxy } from './harness.js';
import { runsApi } from '../runs-api.js';

const CASSANDRA_PORT = Number(
  (process.env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042').split(',')[0]!.split(':')[1] ?? 9042,
);
const LATENCY_MS = 4_000;
const SLOW_FOR_MS = 25_000;

/**
 * Cassandra answering every write seconds late, mid-run: the processor must stay in its group (heartbeats do
 * not wait for writes), pause instead of piling rows up, and store every user once the latency is gone.
 */
describe('faults: a slow Cassandra', () => {
  let app: INestApplication;
  let proxy: Awaited<ReturnType<typeof startLatencyProxy>>;

  beforeAll(async () => {
    proxy = await startLatencyProxy(CASSANDRA_PORT);
    app = await createApp(
      intConfig({ APP_ROLE: 'all', CASSANDRA_CONTACT_POINTS: `127.0.0.1:${proxy.port}` }),
    );
    await app.init();
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    proxy?.setDelay(0);
    await app?.close();
    await proxy?.close();
  });

  it(`loses nothing and causes no rebalance when every write takes ${LATENCY_MS / 1000} s`, async () => {
    const consumer = app.getMicroservices()[0]!.unwrap<Consumer>();
    let joins = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => joins++);
    const runs = runsApi(app);
    const seed = `fault-slow-cassandra-${Date.now()}`;
    const total = 8_000;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 1_000,
      batchSize: 200,
      maxRecords: total,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.stored >= 1_000);

    const slowSince = Date.now();
    proxy.setDelay(LATENCY_MS);
    await sleep(SLOW_FOR_MS);
    const storedWhileSlow = (await runs.getRun(run.id)).counters.stored;
    proxy.setDelay(0);

    const done = await runs.finished(run.id);
    const counts = await reconcileSynthetic(app, done, seed);
    recordRow({
      fault: `Cassandra ${LATENCY_MS / 1000} s write latency for ${SLOW_FOR_MS / 1000} s`,
      ...counts,
      deadLettered: done.counters.deadLettered,
      recoverySeconds: (Date.now() - slowSince) / 1000,
      outcome: `${done.state}, ${joins} rebalance(s)`,
    });
    expect(joins).toBe(0);
    expect(storedWhileSlow).toBeGreaterThan(1_000); // slow, not stopped
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(counts).toEqual({ produced: total, stored: total, duplicated: 0, lost: 0, unindexed: 0 });
    expect(done.counters).toMatchObject({ stored: total, deadLettered: 0 });
  });
});
