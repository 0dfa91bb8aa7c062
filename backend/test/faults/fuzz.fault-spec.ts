import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { nestRoutes, probes } from '../routes.js';

const ADMIN_TOKEN = `fault-fuzz-${randomBytes(24).toString('hex')}`;
/** `--expose-gc` (the test:faults script) makes heap samples comparable. */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 10_000);

/** Values that look like what routes take, and values that are nothing like it. */
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.uuid(),
  fc.constantFrom(
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    '../..',
    'a/b',
    '%00',
    '\u202e',
    '__proto__',
    'true',
    '',
  ),
);

/**
 * Property-based fuzzing of every route (found from Nest's metadata): random path values, query strings and
 * bodies, with an admin token so requests get past the guard. No answer may be a 5xx, and the heap must not
 * keep growing.
 */
describe('fault: 10,000 fuzzed requests over every route', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN }));
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('never answers 5xx, and memory stays bounded', async () => {
    // the stats route takes no input and tallies the whole table: fuzzing it would only time Cassandra scans
    const routes = probes(nestRoutes(app)).filter(({ path }) => path !== '/api/users/stats');
    const query = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'partition',
          'offset',
          'search',
          'page',
          'country',
          'ageMin',
          'timestamp',
        ),
        fc.string({ maxLength: 12 }),
      ),
      fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
      { maxKeys: 4 },
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.object({ maxDepth: 2 }),
      fc.string({ maxLength: 200 }),
    );
    const failures: string[] = [];
    const heap: number[] = [];
    const timings = new Map<string, number>();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(scalar, { minLength: 3, maxLength: 3 }),
        query,
        body,
        async (route, values, params, payload) => {
          let i = 0;
          const path = route.path.replace(/:\w+|\*\w+/g, () =>
            encodeURIComponent(values[i++ % values.length] ?? 'x'),
          );
          const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
          let req = request(app.getHttpServer())
            [method](path)
            .query(params as Record<string, string>)
            .set('authorization', `Bearer ${ADMIN_TOKEN}`);
          if (!['GET', 'HEAD'].includes(route.method)) {
            req =
              // raw text: strings are sent as they are (mostly invalid JSON), other values as their JSON
              req
                .set('content-type', 'application/json')
                .send(typeof payload === 'string' ? payload : JSON.stringify(payload));
          }
          const started = Date.now();
          const res = await req;
          const key = `${route.method} ${route.path}`;
          timings.set(key, (timings.get(key) ?? 0) + Date.now() - started);
          if (++sent % 1_000 === 0) {
            gc(); // what stays after a full collection is what the app holds on to
            heap.push(process.memoryUsage().heapUsed);
          }
          if (res.status >= 500) {
            failures.push(
              `${route.method} ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
          }
          return res.status < 500;
        },
      ),
      {
        numRuns: REQUESTS,
        endOnFailure: true,
        seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31),
      },
    );

    const slowest = [...timings].sort((a, b) => b[1] - a[1]).slice(0, 5);
    process.stdout.write(
      `fuzz: slowest routes (total ms): ${slowest.map(([k, ms]) => `${k} ${ms}`).join(', ')}\n`,
    );
    expect(failures).toEqual([]);
    expect(sent).toBe(REQUESTS);
    // bounded: after a full collection, the second half of the run did not keep what it allocated
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    const growth = mb(heap[heap.length - 1]! - heap[Math.floor(heap.length / 2)]!);
    process.stdout.write(`fuzz: ${sent} requests, heap MB per 1,000 requests: ${heap.map(mb).join(' ')}\n`);
    expect(growth).toBeLessThan(30);
  });
});
