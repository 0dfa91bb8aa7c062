import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fixture, readFixture } from './fixtures/randomuser/index.js';

/**
 * What the server does with one request. Fields combine: wait `delayMs`, then hang up if `destroy`,
 * else answer `status` (200) with `raw`, else `body` as JSON, else `fixture`, else the path's default fixture.
 */
export interface Step {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  fixture?: Fixture;
  raw?: string;
  /** Wait before answering (longer than the client's timeout to test timeouts). */
  delayMs?: number;
  /** Hang up without answering (a socket reset as the client sees it). */
  destroy?: boolean;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
}

export interface RandomUserServer {
  /** Base URL of the latest version, `http://127.0.0.1:<port>/api/`. */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the steps still to play. */
  setScript(steps: Step[]): void;
  close(): Promise<void>;
}

const VERSIONED = /^\/api\/(1\.[0-4])\/?$/;

/**
 * A local stand-in for randomuser.me: `/api/` serves v1.4.json, `/api/1.0/` ... `/api/1.4/` that version's
 * fixture, any other `/api/<version>/` a 404 like the real API. Each request plays the next scripted step;
 * once the script is exhausted the path's fixture is served as is, whatever `results` asks for
 * (tests count users from the fixture, not from the query).
 */
export async function startRandomUserServer(script: Step[] = []): Promise<RandomUserServer> {
  let steps = [...script];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: url.searchParams });

    const fixture = fixtureFor(url.pathname);
    if (!fixture) {
      send(res, { status: 404, body: { error: `Cannot GET ${url.pathname}` } }, 'v1.4.json');
      return;
    }
    const step = steps.shift() ?? {};
    if (step.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond(req, res, step, fixture);
      }, step.delayMs);
      timers.add(timer);
    } else {
      respond(req, res, step, fixture);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    requests,
    setScript(next) {
      steps = [...next];
    },
    close() {
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function fixtureFor(path: string): Fixture | undefined {
  if (path === '/api' || path === '/api/') {
    return 'v1.4.json';
  }
  const version = VERSIONED.exec(path)?.[1];
  return version ? (`v${version}.json` as Fixture) : undefined;
}

function respond(req: IncomingMessage, res: ServerResponse, step: Step, fixture: Fixture): void {
  if (req.socket.destroyed) {
    return;
  }
  if (step.destroy) {
    req.socket.destroy();
    return;
  }
  send(res, step, fixture);
}

function send(res: ServerResponse, step: Step, fallback: Fixture): void {
  const name = step.fixture ?? fallback;
  let payload: string;
  let type = 'application/json; charset=utf-8';
  if (step.raw !== undefined) {
    payload = step.raw;
    type = step.raw.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  } else if (step.body !== undefined) {
    payload = JSON.stringify(step.body);
  } else {
    payload = readFixture(name);
    if (name.endsWith('.html')) {
      type = 'text/html; charset=utf-8';
    }
  }
  res.writeHead(step.status ?? 200, { 'content-type': type, ...step.headers });
  res.end(payload);
}
