import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Run } from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { startTracing, stopTracing } from '#src/tracing/tracing.js';

/** OTLP/JSON as the exporter sends it (only the parts asserted here). */
interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A span flattened: its resource's service name and its attributes as plain values. */
interface ReceivedSpan {
  service: string | undefined;
  name: string;
  kind: number;
  attributes: Record<string, string | number | undefined>;
}

const plain = (value: OtlpValue) =>
  value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue));
const attributeMap = (attributes: { key: string; value: OtlpValue }[]) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, plain(value)]));

describe('OpenTelemetry traces reach an OTLP/HTTP receiver (real app, Kafka, Cassandra, PostgreSQL)', () => {
  let receiver: Server;
  const paths: string[] = [];
  const spans: ReceivedSpan[] = [];
  let app: INestApplication | undefined;

  beforeAll(async () => {
    // the collector's side of OTLP/HTTP: POST /v1/traces with a JSON body, answered with an empty success
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const { resource, scopeSpans } of body.resourceSpans) {
          const service = attributeMap(resource.attributes)['service.name'];
          for (const span of scopeSpans.flatMap((scope) => scope.spans)) {
            spans.push({
              service: typeof service === 'string' ? service : undefined,
              name: span.name,
              kind: span.kind,
              attributes: attributeMap(span.attributes),
            });
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;

    const config = intConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`, APP_ROLE: 'all' });
    await startTracing(config);
    app = await createApp(config);
    await app.init();
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app?.close();
    await stopTracing();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('exports a span per HTTP request, per source page and per processor batch, flushed on shutdown', async () => {
    const http = () => request(app!.getHttpServer());
    const missing = randomUUID();
    await http().get(`/api/ingestion/runs/${missing}`).set('x-request-id', 'otel-int-missing').expect(404);

    const run = Run.parse(
      (
        await http()
          .post('/api/ingestion/runs')
          .send({
            source: 'synthetic',
            ratePerSecond: 10_000,
            batchSize: 500,
            maxRecords: 2_000,
            seed: randomUUID(),
          })
          .expect(201)
      ).body,
    );
    const done = await waitFor(
      async () => {
        const current = Run.parse((await http().get(`/api/ingestion/runs/${run.id}`).expect(200)).body);
        return current.state === 'running' ? undefined : current;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: `run ${run.id} to finish` },
    );
    expect(done).toMatchObject({ state: 'completed', counters: { stored: 2_000 } });

    // closing the app shuts the provider down, which sends what the batch processor still holds
    await app!.close();
    app = undefined;

    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths)).toEqual(new Set(['POST /v1/traces application/json']));
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['userstream-api']));

    const notFound = spans.find((span) => span.attributes['userstream.request_id'] === 'otel-int-missing');
    expect(notFound).toMatchObject({
      name: 'GET /api/ingestion/runs/:id',
      kind: 2, // SERVER
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/ingestion/runs/:id',
        'http.response.status_code': 404,
      },
    });
    expect(spans).toContainEqual(
      expect.objectContaining({
        name: 'POST /api/ingestion/runs',
        attributes: expect.objectContaining({ 'http.response.status_code': 201 }) as unknown,
      }),
    );

    const pages = spans.filter(
      (span) => span.name === 'ingestion.source_page' && span.attributes['userstream.run_id'] === run.id,
    );
    expect(pages).toHaveLength(4);
    for (const page of pages) {
      expect(page.attributes).toMatchObject({ 'userstream.source': 'synthetic', 'userstream.records': 500 });
    }

    // the run's records, and only stored ones (none was invalid), across the batches of the raw topic
    const batches = spans.filter(
      (span) =>
        span.name === 'processor.store_batch' &&
        span.attributes['messaging.destination.name'] === intConfig().kafka.topics.rawUsers,
    );
    expect(batches.length).toBeGreaterThan(0);
    const sum = (key: string) => batches.reduce((total, span) => total + Number(span.attributes[key]), 0);
    expect(sum('userstream.records_stored')).toBeGreaterThanOrEqual(2_000);
    expect(sum('userstream.records_dead_lettered')).toBe(0);
    for (const batch of batches) {
      expect(batch.attributes['userstream.records']).toBe(
        Number(batch.attributes['userstream.records_stored']) +
          Number(batch.attributes['userstream.records_dead_lettered']),
      );
    }
  });
});
