import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApiError } from '@userstream/contracts';
import { AuditService } from '#src/audit/audit.service.js';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { nestRoutes, probes, type Route } from '../routes.js';

const ADMIN_TOKEN = `int-bad-input-${randomBytes(24).toString('hex')}`;

/** Strings that have broken query languages, path handling and parsers elsewhere. */
const INJECTIONS = [
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '" OR ""="',
  "x' ALLOW FILTERING --",
  '/* comment */ 1',
  '../../etc/passwd',
  'a/b/../c',
  '%00',
  '\u0000nul',
  'zo\u00eb \u202eevil\u202c',
  '\ud83d\ude00'.repeat(300),
  '${process.exit()}',
  '<script>alert(1)</script>',
  '__proto__',
  ' ',
];

/** Query values of the wrong type or out of range, on top of the injections. */
const BAD_QUERY_VALUES = [
  '',
  'abc',
  '-1',
  '1.5',
  '1e309',
  'NaN',
  '99999999999999999999',
  '[]',
  'x'.repeat(20_000),
];

/** JSON values of every wrong type for a body property. */
const BAD_JSON_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x'.repeat(200_000),
  [],
  [1, 'two', null],
  {},
  { $ne: null },
  { __proto__: { admin: true } },
  ...INJECTIONS,
];

/** Whole bodies that are not the object a route expects; the raw strings are sent as application/json. */
const BAD_RAW_BODIES = [
  '{"a":',
  '{"a": 1,}',
  'null',
  '[]',
  '"text"',
  '123',
  '{"__proto__": {"x": 1}}',
  '\u0000',
];

interface OpenApiParameter {
  name: string;
  in: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
type OpenApiDoc = { paths: Record<string, Record<string, OpenApiOperation>> };

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);

/** A URL for a route with every path parameter set, `override` for one of them. */
const url = (route: Route, override?: { name: string; value: string }) =>
  route.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(override?.name === name ? override.value : `int-bad-${name}-missing`),
  );

/**
 * Bad input on every route, with auth on and an admin token (so requests reach validation and the handlers
 * rather than stopping at the guard): malformed and wrongly typed bodies, huge values, injection strings in
 * path, query and body. Nothing may answer 5xx, and every refusal is a clear API error.
 */
describe('bad input on every route (real PostgreSQL, Kafka, Cassandra)', () => {
  let app: NestExpressApplication;
  let routes: Route[];
  let doc: OpenApiDoc;
  const failures: string[] = [];
  let requests = 0;

  const send = async (
    route: Route,
    path: string,
    what: string,
    body?: { raw: string } | { json: unknown },
  ) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = request(app.getHttpServer())[method](path).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    if (body && 'raw' in body) {
      req = req.set('content-type', 'application/json').send(body.raw);
    } else if (body) {
      req = req.send(body.json as object);
    }
    requests++;
    const res = await req;
    const where = `${route.method} ${route.path} ${what}`;
    if (res.status >= 500) {
      failures.push(`${where} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    // 431: Node's HTTP parser refuses an over-long request line before any application code runs
    else if (res.status >= 400 && res.status !== 431 && !ApiError.safeParse(res.body).success) {
      failures.push(`${where} -> ${res.status} without an API error body`);
    }
  };

  beforeAll(async () => {
    app = await createApp(
      intConfig({
        APP_ROLE: 'api',
        AUTH_MODE: 'token',
        AUTH_ADMIN_TOKEN: ADMIN_TOKEN,
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
        RATE_LIMIT_HANDSHAKES_PER_MINUTE: '1000000',
        RATE_LIMIT_BROWSE_PER_MINUTE: '1000000',
      }),
    );
    await app.init();
    routes = probes(nestRoutes(app));
    doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as OpenApiDoc;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    failures.length = 0;
  });

  /** Catch-all routes (`*rest`) only refuse; they are left out of the docs on purpose. */
  const operation = (route: Route): OpenApiOperation => {
    if (route.path.includes('*')) {
      return {};
    }
    const op = doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!op) {
      throw new Error(`${route.method} ${route.path} is missing from the OpenAPI document`);
    }
    return op;
  };

  it('documents every route in OpenAPI, so the cases below reach every parameter', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      expect(operation(route)).toBeDefined();
    }
  });

  it('refuses injection strings and odd characters in path parameters with 4xx', async () => {
    for (const route of routes) {
      for (const name of pathParams(route.path)) {
        for (const value of INJECTIONS) {
          await send(route, url(route, { name, value }), `:${name}=${value.slice(0, 30)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers wrong types, huge values and injections in every query parameter with 4xx or a plain result', async () => {
    for (const route of routes) {
      const names = (operation(route).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of [...names, 'notAParameter']) {
        for (const value of [...BAD_QUERY_VALUES, ...INJECTIONS]) {
          await send(
            route,
            `${url(route)}?${name}=${encodeURIComponent(value)}`,
            `?${name}=${value.slice(0, 30)}`,
          );
        }
        await send(route, `${url(route)}?${name}=1&${name}=2`, `?${name} repeated`);
        await send(route, `${url(route)}?${name}[a]=1`, `?${name}[a]`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers malformed bodies and wrongly typed properties with 4xx', async () => {
    const changes = routes.filter((route) => !['GET', 'HEAD'].includes(route.method));
    for (const route of changes) {
      for (const raw of BAD_RAW_BODIES) {
        await send(route, url(route), `body ${JSON.stringify(raw)}`, { raw });
      }
      const schema = operation(route).requestBody?.content?.['application/json']?.schema;
      for (const name of [...Object.keys(schema?.properties ?? {}), 'notAProperty']) {
        for (const value of BAD_JSON_VALUES) {
          await send(route, url(route), `body.${name}=${JSON.stringify(value)?.slice(0, 30)}`, {
            json: { [name]: value },
          });
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const changes = routes.filter((route) => !['GET', 'HEAD'].includes(route.method));
    const huge = JSON.stringify({ value: 'x'.repeat(3 * 1024 * 1024) });
    for (const route of changes) {
      const res = await request(app.getHttpServer())
        [route.method.toLowerCase() as 'post'](url(route))
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .set('content-type', 'application/json')
        .send(huge);
      expect([`${route.method} ${route.path}`, res.status]).toEqual([`${route.method} ${route.path}`, 413]);
      expect(ApiError.parse(res.body).statusCode).toBe(413);
    }
    // the app is still healthy after all of the above
    expect(requests).toBeGreaterThan(1_000);
    expect([200, 503]).toContain((await request(app.getHttpServer()).get('/api/health')).status);
  });

  it('stores the audit entry of every bad request: none holds back those behind it', async () => {
    const audit = app.get(AuditService);
    await audit.flush();
    const marker = `after-bad-input-${Date.now()}`;
    await request(app.getHttpServer())
      .delete(`/api/ingestion/schedules/${marker}`)
      .set('authorization', `Bearer ${ADMIN_TOKEN}`);
    await audit.flush();
    const list = await request(app.getHttpServer())
      .get('/api/audit?method=DELETE&pageSize=5')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(JSON.stringify(list.body)).toContain(marker);
  });
});
