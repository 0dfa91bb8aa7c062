import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { LIVE_NAMESPACE, LIVE_SOCKET_PATH } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';

const ADMIN_TOKEN = `security-admin-${randomBytes(24).toString('hex')}`;

/** A real HTTP server on a free loopback port, with the product's default limits unless `env` says otherwise. */
async function serve(env: Record<string, string>): Promise<{ app: NestExpressApplication; url: string }> {
  const app = await createApp(
    intConfig({
      APP_ROLE: 'api',
      AUTH_MODE: 'token',
      AUTH_ADMIN_TOKEN: ADMIN_TOKEN,
      // the defaults, not the integration tests' generous ones
      RATE_LIMIT_PER_MINUTE: '1200',
      RATE_LIMIT_AUTH_PER_MINUTE: '30',
      RATE_LIMIT_HANDSHAKES_PER_MINUTE: '60',
      RATE_LIMIT_BROWSE_PER_MINUTE: '60',
      ...env,
    }),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, code: body.code, retryAfter: res.headers.get('retry-after') };
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const countBy = (codes: (string | undefined)[]) =>
  codes.reduce<Record<string, number>>(
    (counts, code) => ({ ...counts, [code ?? '-']: (counts[code ?? '-'] ?? 0) + 1 }),
    {},
  );

describe('limits that cannot be dodged (real HTTP server and PostgreSQL)', () => {
  describe('a flood of made-up bearer tokens', () => {
    let app: NestExpressApplication;
    let url: string;
    let floodStarted = 0;

    beforeAll(async () => {
      ({ app, url } = await serve({}));
      // the admin's token is known valid from its first use on
      expect((await get(`${url}/api/ingestion/runs`, bearer(ADMIN_TOKEN))).status).toBe(200);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('gets 429 past 30 unknown tokens a minute from one address, and never reaches the pool beyond that', async () => {
      floodStarted = Date.now();
      const flood = Array.from({ length: 400 }, () =>
        get(`${url}/api/ingestion/runs`, bearer(`us_${randomBytes(16).toString('hex')}`)),
      );
      // the admin keeps working during the flood: the pool is not exhausted
      const during = Array.from({ length: 20 }, () => get(`${url}/api/ingestion/runs`, bearer(ADMIN_TOKEN)));
      const answers = await Promise.all(flood);
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      const codes = countBy(answers.map((answer) => answer.code));
      // each 401 was one lookup; AUTH_BUSY is a lookup refused while 3 were running
      expect(codes['AUTH_TOKEN_INVALID'] ?? 0).toBeLessThanOrEqual(30);
      expect((codes['AUTH_TOO_MANY_FAILURES'] ?? 0) + (codes['AUTH_BUSY'] ?? 0)).toBeGreaterThanOrEqual(370);
      expect(answers.find((answer) => answer.status === 429)?.retryAfter).toMatch(/^\d+$/);
      expect((await Promise.all(during)).map((answer) => answer.status)).toEqual(Array(20).fill(200));
    });

    it('does not take a forged X-Forwarded-For from a proxy it does not trust', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          get(`${url}/api/ingestion/runs`, {
            ...bearer(`us_forged-${i}`),
            'x-forwarded-for': `203.0.113.${i}`,
          }),
        ),
      );
      // the flood above spent this address's budget: another claimed address buys nothing. The budget refills
      // at 30 a minute, so a slow machine may have earned a lookup or two since the flood began, never 20.
      const refilled = Math.ceil((Date.now() - floodStarted) / 2_000);
      const codes = countBy(answers.map((answer) => answer.code));
      const lookedUp = (codes['AUTH_TOKEN_INVALID'] ?? 0) + (codes['AUTH_BUSY'] ?? 0);
      expect(lookedUp).toBeLessThanOrEqual(Math.min(refilled, 10));
      expect(codes['AUTH_TOO_MANY_FAILURES']).toBe(20 - lookedUp);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
    let app: NestExpressApplication;
    let url: string;

    beforeAll(async () => {
      ({ app, url } = await serve({ TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '3' }));
    });

    afterAll(async () => {
      await app?.close();
    });

    it("tells the proxy's clients apart by the address it reports", async () => {
      const as = (client: string) => get(`${url}/api/ingestion/runs`, { 'x-forwarded-for': client });
      const first = [];
      for (let i = 0; i < 4; i++) {
        first.push((await as('198.51.100.7')).status);
      }
      // a client without a token is limited by its address: the 4th is over RATE_LIMIT_PER_MINUTE=3
      expect(first).toEqual([401, 401, 401, 429]);
      expect((await as('198.51.100.8')).status).toBe(401);
    });
  });

  describe('live handshakes and message browsing', () => {
    let app: NestExpressApplication;
    let url: string;

    beforeAll(async () => {
      ({ app, url } = await serve({
        AUTH_MODE: 'none',
        AUTH_ADMIN_TOKEN: '',
        RATE_LIMIT_HANDSHAKES_PER_MINUTE: '3',
        RATE_LIMIT_BROWSE_PER_MINUTE: '2',
      }));
    });

    afterAll(async () => {
      await app?.close();
    });

    /** Opens a socket.io session over long polling (its first request, the handshake). */
    const handshake = () => fetch(`${url}${LIVE_SOCKET_PATH}/?EIO=4&transport=polling`);

    it('refuses socket.io handshakes past the per-address limit, not the polls of an open session', async () => {
      const sessions: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await handshake();
        expect(res.status).toBe(200);
        sessions.push((JSON.parse((await res.text()).slice(1)) as { sid: string }).sid);
      }
      const refused = await handshake();
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Too many live connections from this address');
      // long polling makes every poll a request of its own: those of an open session are not counted
      const join = await fetch(`${url}${LIVE_SOCKET_PATH}/?EIO=4&transport=polling&sid=${sessions[0]}`, {
        method: 'POST',
        body: `40${LIVE_NAMESPACE}`,
      });
      expect(join.status).toBe(200);
    });

    it('limits message browsing on top of the general limit', async () => {
      const browse = () => get(`${url}/api/topics/no-such-topic-${randomBytes(4).toString('hex')}/messages`);
      expect((await browse()).status).toBe(404);
      expect((await browse()).status).toBe(404);
      const third = await browse();
      expect(third.status).toBe(429);
      expect(third.retryAfter).toMatch(/^\d+$/);
      // other routes still answer
      expect((await get(`${url}/api/topics`)).status).toBe(200);
    });
  });
});
