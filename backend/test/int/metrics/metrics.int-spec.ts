import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { HealthResponse, LivenessResponse, Run, type RunParams } from '@userstream/contracts';
import { startOutageProxy } from '../../faults/harness.js';
import { intConfig } from '../../int-env.js';
import { type BackendProcess, processorHttpPort, startProcessor, waitFor } from '../../processes.js';
import { type Family, parsePrometheusText, sampleValue } from '../../prometheus-text.js';
import { runsApi } from '../../runs-api.js';
import { createApp } from '#src/bootstrap.js';
import { AppConfig } from '#src/config/app-config.js';
import { WRITE_FAILURE_GRACE_MS } from '#src/processing/processor-status.js';

const ADMIN_TOKEN = `int-metrics-${randomBytes(24).toString('hex')}`;
const RUN_SIZE = 2_000;
const CASSANDRA_PORT = Number(
  (process.env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042').split(',')[0]!.split(':')[1] ?? 9042,
);

const counter = (families: Map<string, Family>, name: string, labels: Record<string, string>) =>
  sampleValue(families, name, labels);

/**
 * The API (token auth on) and a processor process (dist/main.js, built first), one synthetic run through both,
 * then what Prometheus would scrape from each and what their probes answer.
 */
describe('metrics and probes of the API and a processor (real Kafka, Cassandra, PostgreSQL)', () => {
  let app: INestApplication;
  let processor: BackendProcess | undefined;
  let processorUrl: string;
  const http = () => request(app.getHttpServer());
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN }));
    await app.init(); // creates the topics the processor subscribes to
    processor = await startProcessor();
    processorUrl = `http://127.0.0.1:${processorHttpPort(processor)}`;
  });

  afterAll(async () => {
    await processor?.kill();
    await app?.close();
  });

  const startRun = (params: RunParams) => runsApi(app, admin).start(params);
  const finished = (id: string) => runsApi(app, admin).finished(id, 180_000);

  it('serves /metrics outside the /api prefix, to viewers only, with a request id on every answer', async () => {
    await http().get('/metrics').expect(401);
    await http().get('/api/metrics').expect(404);
    const res = await http().get('/metrics').set(admin).set('x-request-id', 'scrape-42').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['x-request-id']).toBe('scrape-42');
    const generated = await http()
      .get('/metrics')
      .set(admin)
      .set('x-request-id', 'a "quoted" id with spaces')
      .expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts a run end to end: fetched and produced on the API, processed and stored with latencies on the processor', async () => {
    const scrapeApi = async () =>
      parsePrometheusText((await http().get('/metrics').set(admin).expect(200)).text);
    const scrapeProcessor = async () => {
      const res = await fetch(`${processorUrl}/metrics`);
      expect(res.status).toBe(200);
      return parsePrometheusText(await res.text());
    };
    const apiBefore = await scrapeApi();
    const fetchedBefore = counter(apiBefore, 'userstream_records_fetched_total', { source: 'synthetic' });

    const run = await startRun({
      source: 'synthetic',
      ratePerSecond: 20_000,
      batchSize: 500,
      maxRecords: RUN_SIZE,
      seed: `int-metrics-${Date.now()}`,
    });
    const done = await finished(run.id);
    expect(done).toMatchObject({ state: 'completed', counters: { produced: RUN_SIZE, stored: RUN_SIZE } });

    const api = await scrapeApi();
    expect(counter(api, 'userstream_records_fetched_total', { source: 'synthetic' }) - fetchedBefore).toBe(
      RUN_SIZE,
    );
    expect(counter(api, 'userstream_records_produced_total', { source: 'synthetic' })).toBeGreaterThanOrEqual(
      RUN_SIZE,
    );
    // the runtime's own, from collectDefaultMetrics
    expect(api.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(api.get('nodejs_heap_size_used_bytes')?.samples[0]?.value).toBeGreaterThan(0);

    // the processor's run counters reach PostgreSQL and its metrics alike; a fresh process, so only this run
    const processorMetrics = await scrapeProcessor();
    const stored = counter(processorMetrics, 'userstream_records_stored_total', { stream: 'users' });
    expect(stored).toBeGreaterThanOrEqual(RUN_SIZE);
    expect(counter(processorMetrics, 'userstream_records_processed_total', { stream: 'users' })).toBe(
      stored +
        counter(processorMetrics, 'userstream_records_dead_lettered_total', {
          stream: 'users',
          reason: 'invalid',
        }) +
        counter(processorMetrics, 'userstream_records_dead_lettered_total', {
          stream: 'users',
          reason: 'store_refused',
        }),
    );

    // histograms: one observation per stored record, cumulative buckets ending in +Inf = _count
    const endToEnd = processorMetrics.get('userstream_ingest_to_stored_seconds');
    expect(endToEnd?.type).toBe('histogram');
    const e2eCount = sampleValue(processorMetrics, 'userstream_ingest_to_stored_seconds_count', {
      stream: 'users',
    });
    expect(e2eCount).toBe(stored);
    const buckets = endToEnd!.samples.filter(
      (s) => s.name.endsWith('_bucket') && s.labels['stream'] === 'users',
    );
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: e2eCount });
    buckets.slice(1).forEach((bucket, i) => expect(bucket.value).toBeGreaterThanOrEqual(buckets[i]!.value));
    const e2eSum = sampleValue(processorMetrics, 'userstream_ingest_to_stored_seconds_sum', {
      stream: 'users',
    });
    expect(e2eSum / e2eCount).toBeGreaterThan(0);
    expect(e2eSum / e2eCount).toBeLessThan(120);

    const writes = sampleValue(processorMetrics, 'userstream_cassandra_write_duration_seconds_count', {
      stream: 'users',
    });
    // a write request carries up to PROCESSOR_WRITE_BATCH_ROWS rows
    expect(writes).toBeGreaterThanOrEqual(Math.ceil(stored / app.get(AppConfig).processor.writeBatchRows));
    expect(
      sampleValue(processorMetrics, 'userstream_cassandra_write_duration_seconds_bucket', {
        stream: 'users',
        le: '+Inf',
      }),
    ).toBe(writes);

    // lag per owned partition of the raw topic (this process is the group's only member), caught up by now
    const rawTopic = app.get(AppConfig).kafka.topics.rawUsers;
    const lag = processorMetrics
      .get('userstream_kafka_consumer_lag_records')!
      .samples.filter((s) => s.labels['topic'] === rawTopic);
    expect(lag.length).toBeGreaterThan(0);
    for (const partition of lag) {
      expect(partition.value).toBeGreaterThanOrEqual(0);
    }
    expect(processorMetrics.get('nodejs_gc_duration_seconds')?.type).toBe('histogram');
  });

  it('answers its probes: live, and ready once it joined its group', async () => {
    const live = await fetch(`${processorUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${processorUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      consumer: { joined: true, assignedPartitions: expect.any(Number), partitions: expect.any(Array) },
      writes: { status: 'ok' },
    });
    expect((await fetch(`${processorUrl}/nothing`)).status).toBe(404);
    expect((await fetch(`${processorUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('API probes: live and ready answer without a token; /api/health keeps its old answer', async () => {
    LivenessResponse.parse((await http().get('/api/health/live').expect(200)).body);
    expect(HealthResponse.parse((await http().get('/api/health/ready').expect(200)).body).status).toBe('ok');
    expect(HealthResponse.parse((await http().get('/api/health').expect(200)).body).status).toBe('ok');
  });
});

describe('liveness while a dependency is down (Cassandra behind a proxy that is cut)', () => {
  let app: INestApplication;
  let proxy: Awaited<ReturnType<typeof startOutageProxy>>;

  beforeAll(async () => {
    proxy = await startOutageProxy(CASSANDRA_PORT);
    app = await createApp(
      intConfig({ APP_ROLE: 'api', CASSANDRA_CONTACT_POINTS: `127.0.0.1:${proxy.port}` }),
    );
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  it('readiness answers 503 naming Cassandra while liveness stays 200', async () => {
    await request(app.getHttpServer()).get('/api/health/ready').expect(200);
    await proxy.cut();
    const report = await waitFor(
      async () => {
        const res = await request(app.getHttpServer()).get('/api/health/ready');
        return res.status === 503 ? HealthResponse.parse(res.body) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'readiness to report Cassandra down' },
    );
    expect(report.services.cassandra.status).toBe('down');
    expect(report.services.kafka.status).toBe('up');
    await request(app.getHttpServer()).get('/api/health/live').expect(200);
    await request(app.getHttpServer()).get('/api/health').expect(503);
    await proxy.restore();
  });
});

describe("a processor's readiness while Cassandra refuses its writes (its Cassandra behind a proxy that is cut)", () => {
  let app: INestApplication;
  let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
  let processor: BackendProcess | undefined;
  let processorUrl: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    proxy = await startOutageProxy(CASSANDRA_PORT);
    app = await createApp(intConfig({ APP_ROLE: 'api' }));
    await app.init();
    processor = await startProcessor({ CASSANDRA_CONTACT_POINTS: `127.0.0.1:${proxy.port}` });
    processorUrl = `http://127.0.0.1:${processorHttpPort(processor)}`;
  });

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await processor?.kill();
    await app?.close();
    await proxy?.close();
  });

  it('turns not ready once writes have failed for the grace period, while staying live', async () => {
    const run = Run.parse(
      (
        await http()
          .post('/api/ingestion/runs')
          .send({ source: 'synthetic', ratePerSecond: 200, batchSize: 100, maxRecords: 20_000 })
          .expect(201)
      ).body,
    );
    try {
      // writing happily first
      await waitFor(
        async () => {
          const body = (await (await fetch(`${processorUrl}/health/ready`)).json()) as {
            writes: { status: string };
          };
          return body.writes.status === 'ok' ? true : undefined;
        },
        { timeoutMs: 60_000, what: 'the processor to store rows' },
      );
      await proxy.cut();
      const cutAt = Date.now();
      const notReady = await waitFor(
        async () => {
          const res = await fetch(`${processorUrl}/health/ready`);
          return res.status === 503 ? ((await res.json()) as { reasons: string[] }) : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1_000, what: 'readiness to report failing writes' },
      );
      expect(Date.now() - cutAt).toBeGreaterThanOrEqual(WRITE_FAILURE_GRACE_MS);
      expect(notReady.reasons).toEqual([expect.stringMatching(/Cassandra writes have been failing/)]);
      expect((await fetch(`${processorUrl}/health/live`)).status).toBe(200);
      const metrics = parsePrometheusText(await (await fetch(`${processorUrl}/metrics`)).text());
      const errors = metrics.get('userstream_cassandra_write_errors_total')!.samples;
      expect(errors.reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThan(0);
    } finally {
      await http().post(`/api/ingestion/runs/${run.id}/stop`);
    }
  });
});
