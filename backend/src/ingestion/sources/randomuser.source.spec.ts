import { fixtureUsers, readFixture } from '../../../test/fixtures/randomuser/index.js';
import { type RandomUserServer, startRandomUserServer } from '../../../test/randomuser-server.js';
import { RandomUserSource, type RandomUserSourceOptions, type RetryInfo } from './randomuser.source.js';
import { SourceError } from './user-source.js';

describe('RandomUserSource', () => {
  let server: RandomUserServer;
  let slept: number[];
  let retries: RetryInfo[];

  beforeEach(async () => {
    server = await startRandomUserServer();
    slept = [];
    retries = [];
  });
  afterEach(() => server.close());

  /** A source against the local server that records its backoff instead of waiting. */
  const source = (options: Partial<RandomUserSourceOptions> = {}) =>
    new RandomUserSource({
      baseUrl: server.url,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
      onRetry: (info) => retries.push(info),
      ...options,
    });

  async function failure(promise: Promise<unknown>): Promise<SourceError> {
    const error: unknown = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }

  it('asks for the users with results, seed, page, nat, inc and exc', async () => {
    const users = await source({
      seed: 'abc',
      nationalities: ['gb', 'NO'],
      include: ['name', 'email', 'login', 'nat'],
      exclude: ['picture'],
    }).next(120);

    expect(users).toEqual(fixtureUsers('v1.4.json'));
    const [request] = server.requests;
    expect(request!.path).toBe('/api/');
    expect(Object.fromEntries(request!.query)).toEqual({
      results: '120',
      seed: 'abc',
      page: '1',
      nat: 'GB,NO',
      inc: 'name,email,login,nat',
      exc: 'picture',
    });
  });

  it('never asks for more than 5,000 (the API would answer one user) and pages through a seed', async () => {
    const seeded = source({ seed: 'abc' });
    await seeded.next(12_000);
    await seeded.next(10);
    await seeded.next(10);
    expect(server.requests.map((r) => [r.query.get('results'), r.query.get('page')])).toEqual([
      ['5000', '1'],
      ['10', '2'],
      ['10', '3'],
    ]);

    await source().next(3);
    expect(server.requests[3]!.query.has('page')).toBe(false);
    expect(server.requests[3]!.query.has('seed')).toBe(false);
  });

  it('answers zero users without asking', async () => {
    expect(await source().next(0)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('reads a pinned API version', async () => {
    const users = await source({ baseUrl: server.url.replace('/api/', '/api/1.0/') }).next(5);
    expect(users).toEqual(fixtureUsers('v1.0.json'));
    expect(server.requests[0]!.path).toBe('/api/1.0/');
  });

  it('waits as Retry-After says after a 429, then succeeds', async () => {
    server.setScript([
      { status: 429, headers: { 'retry-after': '2' }, body: { error: 'Whoa, ease up there cowboy.' } },
      { fixture: 'v1.3.json' },
    ]);
    const users = await source({ seed: 's' }).next(5);
    expect(users).toEqual(fixtureUsers('v1.3.json'));
    expect(slept).toEqual([2000]);
    expect(retries).toEqual([{ attempt: 1, delayMs: 2000, reason: expect.stringContaining('HTTP 429') }]);
    // A retry asks for the same page again.
    expect(server.requests.map((r) => r.query.get('page'))).toEqual(['1', '1']);
  });

  it('reads Retry-After as an HTTP date and caps it at maxDelayMs', async () => {
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    server.setScript([
      { status: 503, headers: { 'retry-after': inThreeSeconds } },
      { status: 429, headers: { 'retry-after': '3600' } },
    ]);
    await source({ maxDelayMs: 10_000 }).next(5);
    expect(slept[0]).toBeGreaterThan(1_000);
    expect(slept[0]).toBeLessThanOrEqual(3_000);
    expect(slept[1]).toBe(10_000);
  });

  it('gives up after maxRetries on a 503 that does not go away, naming the status and body', async () => {
    server.setScript(Array.from({ length: 10 }, () => ({ status: 503, raw: 'Service Not Available' })));
    const error = await failure(source({ maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250 }).next(5));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/failed 4 times in a row; last: HTTP 503, body: "Service Not Available"/);
    expect(server.requests).toHaveLength(4);
    // Full jitter: each wait is somewhere below its exponential ceiling (100, 200, then capped at 250).
    expect(slept).toHaveLength(3);
    [100, 200, 250].forEach((ceiling, i) => {
      expect(slept[i]).toBeGreaterThanOrEqual(0);
      expect(slept[i]).toBeLessThan(ceiling);
    });
  });

  it('says what to do when the rate limit does not lift', async () => {
    server.setScript(Array.from({ length: 3 }, () => ({ status: 429, body: { error: 'Whoa, ease up' } })));
    const error = await failure(source({ maxRetries: 2 }).next(5));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/20,000 users per IP every 5 minutes/);
  });

  it('retries a request that times out', async () => {
    server.setScript([{ delayMs: 2_000 }]);
    const users = await source({ timeoutMs: 200 }).next(5);
    expect(users).toHaveLength(6);
    expect(retries[0]!.reason).toBe('no answer within 200 ms');
  });

  it('retries when the connection is dropped', async () => {
    server.setScript([{ destroy: true }]);
    expect(await source().next(5)).toHaveLength(6);
    expect(retries[0]!.reason).toMatch(/^network error: /);
  });

  it('retries an HTML 502 from the proxy in front', async () => {
    server.setScript([{ status: 502, raw: readFixture('garbage.html') }]);
    expect(await source().next(5)).toHaveLength(6);
    expect(retries[0]!.reason).toMatch(/^HTTP 502, body: "<!doctype html>/i);
  });

  it('retries a 200 that is an HTML page once, then refuses it, quoting it', async () => {
    server.setScript([{ fixture: 'garbage.html' }, { fixture: 'garbage.html' }]);
    const error = await failure(source().next(5));
    expect(error.message).toMatch(
      /answered twice without users; last: HTTP 200 with a body that is not JSON: "<!doctype html> <html> <head>/i,
    );
    expect(error.message.length).toBeLessThan(250);
    expect(server.requests).toHaveLength(2);
  });

  it('retries truncated JSON once, and refuses it the second time', async () => {
    server.setScript([{ fixture: 'truncated.json' }]);
    expect(await source().next(5)).toHaveLength(6);
    expect(retries[0]!.reason).toMatch(/not JSON: "\{"results":\[\{"gender":"female"/);

    server.setScript([{ fixture: 'truncated.json' }, { fixture: 'truncated.json' }]);
    const error = await failure(source().next(5));
    expect(error.message).toMatch(/not JSON: "\{"results":\[\{"gender":"female"/);
  });

  it('retries an {error} body once, then gives up with its message', async () => {
    server.setScript([{ fixture: 'error.json' }, { fixture: 'error.json' }]);
    const error = await failure(source().next(5));
    expect(error.message).toMatch(/twice without users; last: "Uh oh, something has gone wrong/);
    expect(server.requests).toHaveLength(2);

    server.setScript([{ fixture: 'error.json' }]);
    expect(await source().next(5)).toHaveLength(6);
  });

  it('refuses a JSON body without a results list', async () => {
    server.setScript([{ body: { info: { seed: 'x' } } }]);
    expect((await failure(source().next(5))).message).toMatch(/without a "results" list: "\{"info"/);
  });

  it('answers an empty results list with zero users', async () => {
    server.setScript([{ fixture: 'empty-results.json' }]);
    expect(await source().next(5)).toEqual([]);
  });

  it('passes elements that are not users through untouched', async () => {
    server.setScript([{ body: { results: [1, null, 'x', [], { name: 'odd' }] } }]);
    expect(await source().next(5)).toEqual([1, null, 'x', [], { name: 'odd' }]);
  });

  it('fails at once on a 4xx that is not a rate limit', async () => {
    const error = await failure(source({ baseUrl: server.url.replace('/api/', '/api/9.9/') }).next(5));
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/refused the request: HTTP 404/);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an unknown nationality before any request', () => {
    expect(() => source({ nationalities: ['GB', 'XX'] })).toThrow(SourceError);
    expect(() => source({ nationalities: ['GB', 'XX'] })).toThrow(/"XX".*ignore the whole list/);
    // NO only exists from 1.2 on.
    expect(() => source({ baseUrl: `${server.url}1.1/`, nationalities: ['NO'] })).toThrow(
      /1\.1 does not know/,
    );
    expect(() => source({ include: ['name', 'shoe-size'] })).toThrow(/"shoe-size"/);
    expect(() => source({ baseUrl: 'not a url' })).toThrow(SourceError);
    expect(server.requests).toHaveLength(0);
  });

  describe('when the caller aborts', () => {
    it('does not start', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(source().next(5, controller.signal)).rejects.toThrow(/abort/i);
      expect(server.requests).toHaveLength(0);
    });

    it('stops a request in flight and does not retry', async () => {
      server.setScript([{ delayMs: 5_000 }]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      await expect(source({ sleep: undefined }).next(5, controller.signal)).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(server.requests).toHaveLength(1);
    });

    it('stops waiting between retries at once', async () => {
      server.setScript([{ status: 429, headers: { 'retry-after': '30' } }]);
      const controller = new AbortController();
      const started = Date.now();
      const pending = new RandomUserSource({
        baseUrl: server.url,
        onRetry: () => controller.abort(),
      }).next(5, controller.signal);
      await expect(pending).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(server.requests).toHaveLength(1);
    });
  });
  describe('where answers may come from', () => {
    it('follows a redirect within its own host', async () => {
      server.setScript([{ status: 301, headers: { location: '/api/1.3/' } }]);
      expect(await source().next(5)).toEqual(fixtureUsers('v1.3.json'));
      expect(server.requests.map((r) => r.path)).toEqual(['/api/', '/api/1.3/']);
    });

    it('refuses a redirect to another host, and does not go there', async () => {
      const elsewhere = server.url.replace('127.0.0.1', 'localhost');
      server.setScript([{ status: 302, headers: { location: elsewhere } }]);
      const error = await failure(source().next(5));
      expect(error.message).toMatch(/redirected to localhost:\d+; redirects to another host are refused/);
      expect(server.requests).toHaveLength(1);
    });

    it('gives up after three redirects', async () => {
      server.setScript(Array.from({ length: 5 }, () => ({ status: 307, headers: { location: '/api/' } })));
      expect((await failure(source().next(5))).message).toMatch(/redirected more than 3 times/);
      expect(server.requests).toHaveLength(4);
    });

    it('refuses an answer larger than its cap, without retrying', async () => {
      const error = await failure(source({ maxResponseBytes: 1_000 }).next(5));
      expect(error.message).toMatch(/answered more than 1,000 bytes; refused/);
      expect(server.requests).toHaveLength(1);
    });
  });
});
