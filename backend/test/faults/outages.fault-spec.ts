import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { HealthResponse, type Run, type ServiceName } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { type BackendProcess, startBackend, waitFor } from '../processes.js';
import {
  processorProgress,
  reconcileSynthetic,
  recordRow,
  sleep,
  stack,
  startOutageProxy,
} from './harness.js';
import { runsApi } from '../runs-api.js';

const POSTGRES_PORT = Number(
  new URL(process.env['DATABASE_URL'] ?? 'postgres://127.0.0.1:5432').port || 5432,
);

/**
 * Outages of each store with a run in flight. Kafka and Cassandra are the stack runner's own servers, really
 * stopped and started again; PostgreSQL is the machine's, so its outage is a proxy that drops every connection.
 * The API runs here, processing in a processor process; both reach PostgreSQL through the proxy.
 */
describe('faults: Kafka, Cassandra and PostgreSQL outages during a run', () => {
  let app: INestApplication;
  let processor: BackendProcess;
  let proxy: Awaited<ReturnType<typeof startOutageProxy>>;

  beforeAll(async () => {
    proxy = await startOutageProxy(POSTGRES_PORT);
    const url = new URL(intConfig().postgres.url);
    url.port = String(proxy.port);
    url.hostname = '127.0.0.1';
    app = await createApp(intConfig({ APP_ROLE: 'api', DATABASE_URL: url.toString() }));
    await app.init();
    processor = await startBackend(
      { APP_ROLE: 'processor', PROCESSOR_HTTP_PORT: '0', DATABASE_URL: url.toString() },
      /processor consuming raw users/,
    );
  });

  afterAll(async () => {
    // a step that hangs is reported and skipped; one that finishes cancels its report
    const step = async (what: string, work: Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          process.stderr.write(`outages teardown: ${what} hung\n`);
          resolve();
        }, 60_000);
      });
      await Promise.race([work, hung]);
      clearTimeout(timer);
    };
    await step(
      'stack up',
      stack('up', 'kafka', 'cassandra').catch(() => undefined),
    );
    await step('processor stop', processor?.kill('SIGTERM') ?? Promise.resolve());
    await step('app close', app?.close() ?? Promise.resolve());
    await step('proxy close', proxy?.close() ?? Promise.resolve());
  });

  const health = async () =>
    HealthResponse.parse((await request(app.getHttpServer()).get('/api/health')).body);
  const downIn = async (service: ServiceName) =>
    waitFor(async () => ((await health()).services[service].status === 'down' ? true : undefined), {
      timeoutMs: 30_000,
      what: `/api/health to report ${service} down`,
    });

  /** Starts a run, waits until it is well under way, applies `outage` (which resolves when it is over). */
  async function withOutage(fault: string, outage: () => Promise<number>, check?: (run: Run) => void) {
    const runs = runsApi(app);
    const progress = processorProgress(app);
    await progress.connect();
    const seed = `fault-${fault.split(' ')[0]}-${Date.now()}`;
    const total = 40_000;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 1_500,
      batchSize: 500,
      maxRecords: total,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.produced >= 6_000);
    const endedAt = await outage();
    const recoverySeconds = await progress.recoveredAfter(endedAt).catch((error: Error) => {
      // what the processor says is the only clue to why it did not resume
      const lines = processor.output().trimEnd().split('\n').slice(-30).join('\n');
      throw new Error(`${error.message}; the processor's last lines:\n${lines}`);
    });
    await progress.close();
    const done = await runs.finished(run.id, 400_000);
    const counts = await reconcileSynthetic(app, done, seed);
    recordRow({
      fault,
      ...counts,
      deadLettered: done.counters.deadLettered,
      recoverySeconds,
      outcome: done.state,
    });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(counts).toEqual({ produced: total, stored: total, duplicated: 0, lost: 0, unindexed: 0 });
    expect(done.counters.stored).toBe(total);
    check?.(done);
  }

  it('Kafka stopped for 15 s: producer and consumers recover by themselves, nothing lost', async () => {
    await withOutage('Kafka stopped 15 s', async () => {
      await stack('down', 'kafka');
      await downIn('kafka');
      await sleep(15_000);
      await stack('up', 'kafka');
      return Date.now();
    });
  });

  it('Cassandra stopped for 30 s: processors pause and retry, commit nothing unwritten, catch up', async () => {
    await withOutage('Cassandra stopped 30 s', async () => {
      await stack('down', 'cassandra');
      await downIn('cassandra');
      await sleep(30_000);
      await stack('up', 'cassandra');
      return Date.now();
    });
  });

  it('PostgreSQL unreachable for 20 s: users keep streaming, run counters catch up', async () => {
    const progress = processorProgress(app);
    await progress.connect();
    await withOutage('PostgreSQL unreachable 20 s', async () => {
      await proxy.cut();
      await downIn('postgres');
      const before = await progress.committed();
      await sleep(20_000);
      // the pipeline did not wait for PostgreSQL
      expect(await progress.committed()).toBeGreaterThan(before);
      await proxy.restore();
      return Date.now();
    });
    await progress.close();
  });
});
