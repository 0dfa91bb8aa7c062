import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApiError, ApiTokenList, AuditList, CreatedToken, Me, type Role } from '@userstream/contracts';
import { intConfig, uniqueName } from '../../int-env.js';
import { concrete, expressRoutes, nestRoutes, probes, type Route } from '../../routes.js';
import { AuditService } from '#src/audit/audit.service.js';
import { createApp } from '#src/bootstrap.js';
import { ApiTokensRepository } from '#src/auth/api-tokens.repository.js';
import { generateToken, hashToken } from '#src/auth/token-secret.js';

const ADMIN_TOKEN = `int-admin-${randomBytes(24).toString('hex')}`;
const config = (overrides: Record<string, string> = {}) =>
  intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN, ...overrides });

/** Routes anyone may call. Adding one here is a decision: everything else must answer 401 without a token. */
const PUBLIC_ROUTES = new Set(['GET /api/health', 'GET /api/health/live', 'GET /api/health/ready']);
/** The OpenAPI UI and document are served by @nestjs/swagger, outside Nest routing, and stay public. */
const isDocs = (path: string) => path.startsWith('/api/docs');

/** Routes an operator may not call (on top of the auth routes' own @RequiresRole). */
const ADMIN_ROUTES = new Set([
  'POST /api/auth/tokens',
  'GET /api/auth/tokens',
  'DELETE /api/auth/tokens/:id',
  'GET /api/audit',
  'POST /api/topics',
  'DELETE /api/topics/:name',
  'POST /api/topics/:name/partitions',
  'PATCH /api/topics/:name/configs',
  'POST /api/consumer-groups/:groupId/offsets/reset',
  'POST /api/dead-letters/redrive',
]);

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

describe('auth, roles and audit over every route (real PostgreSQL, Kafka, Cassandra)', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const tokens: Record<Role, CreatedToken> = {} as Record<Role, CreatedToken>;
  let routes: Route[];
  let docs: Route[];

  const call = (route: Route, token?: string) => {
    const req = http()[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
      concrete(route.path),
    );
    if (token) {
      void req.set('authorization', `Bearer ${token}`);
    }
    return isRead(route.method) ? req : req.send({});
  };
  const createToken = async (body: object, token = ADMIN_TOKEN) =>
    CreatedToken.parse(
      (await http().post('/api/auth/tokens').set('authorization', `Bearer ${token}`).send(body).expect(201))
        .body,
    );
  const auditRows = async (query: Record<string, string>) => {
    await app.get(AuditService).flush();
    return AuditList.parse(
      (await http().get('/api/audit').query(query).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200))
        .body,
    );
  };

  beforeAll(async () => {
    app = await createApp(config());
    await app.init();
    const served = new Set(expressRoutes(app).map((route) => `${route.method} ${route.path}`));
    routes = probes(nestRoutes(app));
    const unserved = routes.filter((route) => !served.has(`${route.method} ${route.path}`));
    if (unserved.length) {
      throw new Error(`route paths computed wrongly: ${JSON.stringify(unserved)}`);
    }
    docs = expressRoutes(app).filter((route) => route.method === 'GET' && isDocs(route.path));
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      tokens[role] = await createToken({ name: uniqueName(`int-${role}`), role });
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('finds the routes of every feature, including its own', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'POST /api/auth/tokens',
        'GET /api/auth/me',
        'GET /api/audit',
        'POST /api/ingestion/runs',
      ]),
    );
    expect(routes.length).toBeGreaterThan(10);
    expect(docs.map((route) => route.path)).toEqual(expect.arrayContaining(['/api/docs', '/api/docs-json']));
  });

  it('answers 401 without a token on every route but the public ones, and never 5xx', async () => {
    const wrong: string[] = [];
    for (const route of [...routes, ...docs]) {
      const key = `${route.method} ${route.path}`;
      const res = await call(route);
      const isPublic = PUBLIC_ROUTES.has(key) || docs.includes(route);
      if (isPublic === (res.status === 401) || (!isPublic && res.status >= 500)) {
        wrong.push(`${key} -> ${res.status}`);
      } else if (!isPublic) {
        expect([key, ApiError.parse(res.body).code]).toEqual([key, 'AUTH_TOKEN_MISSING']);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 403 to a viewer on every mutation, and to an operator on every admin route', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (PUBLIC_ROUTES.has(key)) {
        continue;
      }
      const viewer = await call(route, tokens.viewer.token);
      const viewerRefused = !isRead(route.method) || ADMIN_ROUTES.has(key);
      if ((viewer.status === 403) !== viewerRefused) {
        wrong.push(`viewer ${key} -> ${viewer.status}`);
      }
      if (viewer.status === 401) {
        wrong.push(`viewer ${key} -> 401`);
      }
      if (viewer.status >= 500) {
        wrong.push(`viewer ${key} -> ${viewer.status}`);
      }
      if (viewer.status === 403) {
        expect(ApiError.parse(viewer.body).code).toBe('AUTH_FORBIDDEN');
      }
      if (!ADMIN_ROUTES.has(key) && !isRead(route.method)) {
        continue;
      } // an operator may change things
      const operator = await call(route, tokens.operator.token);
      if ((operator.status === 403) !== ADMIN_ROUTES.has(key)) {
        wrong.push(`operator ${key} -> ${operator.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('makes unmasked message browsing admin-only', async () => {
    const route = routes.find((r) => r.method === 'GET' && r.path === '/api/topics/:name/messages');
    if (!route) {
      return;
    } // no topics feature in this build
    const url = concrete(route.path);
    for (const value of ['true', '1', 'yes', 'TRUE']) {
      for (const role of ['viewer', 'operator'] as const) {
        const res = await http()
          .get(url)
          .query({ unmasked: value })
          .set('authorization', `Bearer ${tokens[role].token}`);
        expect([role, value, res.status]).toEqual([role, value, 403]);
      }
    }
    const masked = await http().get(url).set('authorization', `Bearer ${tokens.viewer.token}`);
    expect(masked.status).not.toBe(403);
    const admin = await http()
      .get(url)
      .query({ unmasked: 'true' })
      .set('authorization', `Bearer ${tokens.admin.token}`);
    expect(admin.status).not.toBe(403);
  });

  it('serves health and the OpenAPI docs without a token', async () => {
    expect([200, 503]).toContain((await http().get('/api/health')).status);
    await http().get('/api/docs/').expect(200);
    const json = await http().get('/api/docs-json').expect(200);
    expect(json.body.components.securitySchemes).toHaveProperty('bearer');
  });

  it('lets an admin create tokens, shown once, listed without secrets', async () => {
    expect(tokens.viewer.token).toMatch(/^us_[\w-]{43}$/);
    const list = ApiTokenList.parse(
      (await http().get('/api/auth/tokens').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200)).body,
    );
    const text = JSON.stringify(list);
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      expect(text).not.toContain(tokens[role].token);
      expect(text).not.toContain(hashToken(tokens[role].token));
      expect(list.items.find((item) => item.id === tokens[role].id)).toMatchObject({ role, revokedAt: null });
    }
    expect(list.items.find((item) => item.name === 'bootstrap admin')).toMatchObject({ role: 'admin' });
    // a token created by an admin token works, and an admin it creates can create further tokens
    await createToken({ name: uniqueName('int-by-admin'), role: 'viewer' }, tokens.admin.token);
    const bad = await http()
      .post('/api/auth/tokens')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: '', role: 'root', extra: 1 })
      .expect(400);
    expect(ApiError.parse(bad.body).code).toBe('VALIDATION_FAILED');
  });

  it('tells each caller who it is', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const me = Me.parse(
        (await http().get('/api/auth/me').set('authorization', `Bearer ${tokens[role].token}`).expect(200))
          .body,
      );
      expect(me).toEqual({ name: tokens[role].name, role, mode: 'token' });
    }
  });

  it('refuses unknown, malformed, expired and revoked tokens with 401 and their own code', async () => {
    const codeOf = async (authorization: string | undefined, url = '/api/auth/me') => {
      const req = http().get(url);
      if (authorization) {
        void req.set('authorization', authorization);
      }
      const res = await req.expect(401);
      return ApiError.parse(res.body).code;
    };
    expect(await codeOf(`Bearer ${generateToken()}`)).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(`Basic ${Buffer.from('a:b').toString('base64')}`)).toBe('AUTH_TOKEN_INVALID');
    // the query token is for socket.io handshakes only
    expect(await codeOf(undefined, `/api/auth/me?access_token=${ADMIN_TOKEN}`)).toBe('AUTH_TOKEN_MISSING');

    const expired = generateToken();
    await app.get(ApiTokensRepository).create({
      name: uniqueName('int-expired'),
      role: 'admin',
      tokenHash: hashToken(expired),
      expiresAt: new Date(Date.now() - 1_000),
    });
    expect(await codeOf(`Bearer ${expired}`)).toBe('AUTH_TOKEN_EXPIRED');

    const doomed = await createToken({
      name: uniqueName('int-revoked'),
      role: 'operator',
      expiresInDays: 30,
    });
    expect(new Date(doomed.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
    await http().get('/api/auth/me').set('authorization', `Bearer ${doomed.token}`).expect(200);
    const revoked = await http()
      .delete(`/api/auth/tokens/${doomed.id}`)
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(await codeOf(`Bearer ${doomed.token}`)).toBe('AUTH_TOKEN_REVOKED');
    await http()
      .delete(`/api/auth/tokens/${randomUUID()}`)
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(404);
  });

  it('audits every mutation it saw, allowed or refused, newest first, without secrets', async () => {
    const viewerName = tokens.viewer.name;
    await http()
      .post('/api/auth/tokens')
      .set('authorization', `Bearer ${tokens.viewer.token}`)
      .send({ name: 'x', role: 'admin' })
      .expect(403);
    const created = await createToken({ name: uniqueName('int-audited'), role: 'viewer' });
    await http()
      .post('/api/auth/tokens')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: 'x', role: 'nope' })
      .expect(400);

    const admin = await auditRows({ actor: 'bootstrap admin', method: 'post', pageSize: '200' });
    expect(admin.items.every((row) => row.actor === 'bootstrap admin' && row.method === 'POST')).toBe(true);
    const creation = admin.items.find((row) => row.target?.['resultId'] === created.id);
    expect(creation).toMatchObject({
      role: 'admin',
      route: '/api/auth/tokens',
      statusCode: 201,
      success: true,
      target: { body: { name: created.name, role: 'viewer' } },
    });
    expect(creation?.durationMs).toBeGreaterThanOrEqual(0);
    expect(creation?.ip).toBeTruthy();
    expect(admin.items).toContainEqual(
      expect.objectContaining({ route: '/api/auth/tokens', statusCode: 400, success: false }),
    );
    // one row per token created by the bootstrap admin in this file
    const createdIds = [tokens.viewer.id, tokens.operator.id, tokens.admin.id, created.id];
    const audited = new Set(admin.items.map((row) => row.target?.['resultId']));
    expect(createdIds.filter((id) => !audited.has(id))).toEqual([]);

    const revocations = await auditRows({ actor: 'bootstrap admin', method: 'DELETE' });
    expect(revocations.items[0]).toMatchObject({ route: '/api/auth/tokens/:id', statusCode: 404 });
    expect(revocations.items).toContainEqual(expect.objectContaining({ statusCode: 200, success: true }));

    const refused = await auditRows({ actor: viewerName });
    expect(refused.items.length).toBeGreaterThan(5); // every mutation it tried while enumerating
    expect(refused.items[0]).toMatchObject({
      method: 'POST',
      statusCode: 403,
      success: false,
      role: 'viewer',
    });
    const anonymous = await auditRows({ actor: 'anonymous', pageSize: '5' });
    expect(anonymous.items[0]).toMatchObject({ statusCode: 401, role: null });

    const times = admin.items.map((row) => Date.parse(row.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const page2 = await auditRows({ actor: 'bootstrap admin', page: '2', pageSize: '1' });
    expect(page2).toMatchObject({ page: 2, pageSize: 1, total: expect.any(Number) });
    expect(page2.items).toHaveLength(1);
    expect(JSON.stringify((await auditRows({ pageSize: '200' })).items)).not.toContain(ADMIN_TOKEN);
    // GET filters the audited reads of personal data (unmasked=true); other reads are never audited
    const badQuery = await http()
      .get('/api/audit')
      .query({ method: 'HEAD' })
      .set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(badQuery.status).toBe(400);
  });

  it('answers an oversized body with 413 and malformed JSON with 400', async () => {
    const big = await http()
      .post('/api/auth/tokens')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: 'x'.repeat(300 * 1024), role: 'viewer' });
    expect(big.status).toBe(413);
    expect(ApiError.parse(big.body).code).toBe('PAYLOAD_TOO_LARGE');
    const malformed = await http()
      .post('/api/auth/tokens')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('content-type', 'application/json')
      .send('{"name": "x", ');
    expect(malformed.status).toBe(400);
    expect(ApiError.parse(malformed.body).code).toBe('BAD_REQUEST');
  });

  it('sets security headers on API answers and a CSP that lets the docs load', async () => {
    const res = await http().get('/api/auth/me').set('authorization', `Bearer ${tokens.viewer.token}`);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const docs = await http().get('/api/docs/').expect(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    // every script the docs page loads is one of ours
    const scripts = [...String(docs.text).matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
    }
  });

  describe('with a low rate limit', () => {
    let limited: INestApplication;
    const limitedHttp = () => request(limited.getHttpServer());

    beforeAll(async () => {
      limited = await createApp(config({ RATE_LIMIT_PER_MINUTE: '3' }));
      await limited.init();
    });

    afterAll(async () => {
      await limited?.close();
    });

    it('answers 429 with Retry-After past the limit, per client, and never limits health', async () => {
      const me = (token: string) => limitedHttp().get('/api/auth/me').set('authorization', `Bearer ${token}`);
      // a token's first call counts against the address (the token is not known valid yet), later ones its own
      for (let i = 0; i < 4; i++) {
        await me(tokens.viewer.token).expect(200);
      }
      const refused = await me(tokens.viewer.token).expect(429);
      expect(ApiError.parse(refused.body).code).toBe('TOO_MANY_REQUESTS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // a limit applies to every route of the client, mutations included
      await limitedHttp()
        .post('/api/ingestion/runs')
        .set('authorization', `Bearer ${tokens.viewer.token}`)
        .send({})
        .expect(429);
      // another token has its own budget
      await me(tokens.operator.token).expect(200);
      for (let i = 0; i < 6; i++) {
        expect((await limitedHttp().get('/api/health')).status).not.toBe(429);
      }
    });
  });
});
