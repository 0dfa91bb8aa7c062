import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io } from 'socket.io-client';
import { ApiError, LIVE_NAMESPACE, LIVE_SOCKET_PATH } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { freePort, startBackend } from '../processes.js';

const DASHBOARD = 'http://127.0.0.1:3000';

/** This machine's first non-loopback IPv4 address, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

async function status(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Connects to /live with `origin`; resolves with the refusal's message, or null once connected. */
function liveRefusal(url: string, origin: string): Promise<string | null> {
  const socket = io(`${url}${LIVE_NAMESPACE}`, {
    path: LIVE_SOCKET_PATH,
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { origin },
  });
  return new Promise<string | null>((resolve) => {
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', (error) => resolve(error.message));
  }).finally(() => socket.disconnect());
}

describe('local exposure: a fresh start is reachable from this machine only', () => {
  it("listens on 127.0.0.1 by default, not on the machine's other addresses", async () => {
    const port = await freePort();
    const backend = await startBackend(
      { APP_ROLE: 'api', AUTH_MODE: 'none', PORT: String(port) },
      /userstream api on http:\/\/127\.0\.0\.1:/,
    );
    try {
      expect((await status(`http://127.0.0.1:${port}/api/docs-json`)).status).toBe(200);
      const outside = outsideAddress();
      if (outside) {
        await expect(fetch(`http://${outside}:${port}/api/docs-json`)).rejects.toThrow();
      }
    } finally {
      await backend.kill();
    }
  });

  it('refuses to start without authentication on a non-loopback address, saying why', async () => {
    const failed = startBackend({ APP_ROLE: 'api', HOST: '0.0.0.0', PORT: '1' }, /never/);
    await expect(failed).rejects.toThrow(/AUTH_MODE: none is refused when HOST=0\.0\.0\.0/);
    await expect(failed).rejects.toThrow(/CURSOR_SECRET: the development default is refused/);
  });
});

describe('hostile requests (real HTTP server, AUTH_MODE=none)', () => {
  let app: NestExpressApplication;
  let url: string;
  let host: string;

  beforeAll(async () => {
    app = await createApp(
      intConfig({ APP_ROLE: 'api', AUTH_MODE: 'none', CORS_ORIGINS: DASHBOARD, ALLOWED_HOSTS: 'backend' }),
    );
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    host = `127.0.0.1:${port}`;
    url = `http://${host}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a Host it does not answer to (DNS rebinding) with 403', async () => {
    const res = await rawGet(host, '/api/health', 'evil.example');
    expect(res.status).toBe(403);
    expect(ApiError.parse(JSON.parse(res.body)).message).toContain('does not answer to host "evil.example"');
    expect((await rawGet(host, '/api/health', `backend:3001`)).status).not.toBe(403);
  });

  it('refuses a call from a web page of another origin with 403, takes the dashboard and the docs page', async () => {
    const post = (origin: string) =>
      status(`${url}/api/ingestion/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ source: 'nowhere' }),
      });
    const foreign = await post('http://evil.example');
    expect(foreign.status).toBe(403);
    expect(ApiError.parse(foreign.body).message).toContain('origin http://evil.example is not allowed');
    // reaches validation: an invalid body, refused with 400 and no run started
    expect((await post(DASHBOARD)).status).toBe(400);
    expect((await post(url)).status).toBe(400);
  });

  it('takes JSON bodies only: a form post gets 415', async () => {
    const res = await status(`${url}/api/ingestion/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'source=synthetic&maxRecords=10',
    });
    expect(res.status).toBe(415);
    expect(ApiError.parse(res.body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a deeply nested body (20,000 levels in 40 kB) with 400 before parsing it', async () => {
    const res = await status(`${url}/api/ingestion/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"source":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(ApiError.parse(res.body).message).toContain('nested deeper than 64 levels');
  });

  it('checks the Origin of live socket connections too', async () => {
    expect(await liveRefusal(url, DASHBOARD)).toBeNull();
    expect(await liveRefusal(url, 'http://evil.example')).toMatch(/./);
  });
});

/** A GET with a Host header of our choosing (fetch always sends the URL's own). */
function rawGet(
  address: string,
  path: string,
  hostHeader: string,
): Promise<{ status: number; body: string }> {
  const [hostname, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path, headers: { host: hostHeader } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}
