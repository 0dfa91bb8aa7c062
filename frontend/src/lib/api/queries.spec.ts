import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  environmentManager,
  type QueryClient,
  type QueryKey,
  QueryObserver,
  type QueryObserverOptions,
} from '@tanstack/react-query';
import type { HealthResponse } from '@userstream/contracts';
import { z } from 'zod';
import { ApiRequestError } from './client';
import { healthQuery, POLL_MS, queryKeys, topicQuery, topicsQuery } from './queries';
import { makeQueryClient, shouldRetry } from './query-client';

const health: HealthResponse = {
  status: 'ok',
  checkedAt: '2026-01-01T00:00:00.000Z',
  services: {
    kafka: { status: 'up', latencyMs: 3 },
    cassandra: { status: 'up', latencyMs: 4 },
    postgres: { status: 'up', latencyMs: 2 },
  },
};

const topic = {
  name: 'users.raw',
  internal: false,
  pipeline: true,
  partitions: [],
  replicationFactor: 1,
  approxMessages: 0,
  sizeBytes: 0,
  consumerGroups: [],
  configs: [],
};

/** Stands in for the browser's fetch: answers by path, and records each path asked for. */
function fakeFetch(answers: Record<string, unknown>) {
  const calls: string[] = [];
  const fetch = jest.fn((input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.split('?')[0]!;
    calls.push(path);
    const body = answers[path];
    return Promise.resolve(
      body === undefined ? Response.json({ message: 'not found' }, { status: 404 }) : Response.json(body),
    );
  });
  return { fetch, calls, count: (path: string) => calls.filter((call) => call === path).length };
}

/** `document.visibilityState` as the browser reports it; the query client reads it on each poll. */
function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(globalThis, 'document', { value: { visibilityState: state }, configurable: true });
}

describe('dashboard queries', () => {
  let client: QueryClient;
  let windowEvents: EventTarget;
  const realFetch = globalThis.fetch;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    // jest runs in node: the browser bits the query client looks for
    environmentManager.setIsServer(() => false);
    windowEvents = new EventTarget();
    Object.defineProperty(globalThis, 'window', { value: windowEvents, configurable: true });
    setVisibility('visible');
    client = makeQueryClient();
    client.mount();
  });

  afterEach(() => {
    client.unmount();
    client.clear();
    globalThis.fetch = realFetch;
    Reflect.deleteProperty(globalThis, 'window');
    Reflect.deleteProperty(globalThis, 'document');
    environmentManager.setIsServer(() => typeof window === 'undefined');
    jest.useRealTimers();
  });

  /** What a mounted component does with useQuery: observe the query until it unmounts. */
  const mount = <TData, TKey extends QueryKey>(
    options: QueryObserverOptions<TData, Error, TData, TData, TKey>,
  ) => {
    const observer = new QueryObserver(client, options);
    const unsubscribe = observer.subscribe(() => undefined);
    return { observer, unsubscribe };
  };

  it('fetches health once per interval for two components that show it', async () => {
    const api = fakeFetch({ '/api/health': health });
    globalThis.fetch = api.fetch;

    const badges = mount(healthQuery);
    await jest.advanceTimersByTimeAsync(1_000);
    // the health panel mounts a second later: served from the cache, no request of its own
    const panel = mount(healthQuery);
    await jest.advanceTimersByTimeAsync(POLL_MS.health * 4 - 1_000);

    // at 0, 5, 10, 15 and 20 s: one poll for both, not two
    expect(api.count('/api/health')).toBe(5);
    expect(api.calls).toHaveLength(5);
    expect(badges.observer.getCurrentResult().data).toEqual(health);
    expect(panel.observer.getCurrentResult().data).toEqual(health);

    badges.unsubscribe();
    await jest.advanceTimersByTimeAsync(POLL_MS.health);
    expect(api.count('/api/health')).toBe(6);
    panel.unsubscribe();
    await jest.advanceTimersByTimeAsync(POLL_MS.health * 3);
    expect(api.count('/api/health')).toBe(6);
  });

  it('pauses the poll while the tab is hidden and reads again when it is shown', async () => {
    const api = fakeFetch({ '/api/health': health });
    globalThis.fetch = api.fetch;

    const badges = mount(healthQuery);
    await jest.advanceTimersByTimeAsync(POLL_MS.health);
    expect(api.count('/api/health')).toBe(2);

    setVisibility('hidden');
    windowEvents.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(POLL_MS.health * 10);
    expect(api.count('/api/health')).toBe(2);

    setVisibility('visible');
    windowEvents.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(0);
    expect(api.count('/api/health')).toBe(3);
    await jest.advanceTimersByTimeAsync(POLL_MS.health);
    expect(api.count('/api/health')).toBe(4);

    badges.unsubscribe();
  });

  it('keeps the last answer and reports the error when a refresh fails', async () => {
    const api = fakeFetch({ '/api/health': health });
    globalThis.fetch = api.fetch;
    const badges = mount(healthQuery);
    await jest.advanceTimersByTimeAsync(0);
    expect(badges.observer.getCurrentResult().isPending).toBe(false);

    globalThis.fetch = jest.fn(() => Promise.resolve(Response.json({}, { status: 403 })));
    await jest.advanceTimersByTimeAsync(POLL_MS.health);
    const result = badges.observer.getCurrentResult();
    expect(result.data).toEqual(health);
    expect(result.error).toBeInstanceOf(ApiRequestError);
    expect((result.error as ApiRequestError).status).toBe(403);
    // a 403 is not tried again: one request, the poll's
    expect(globalThis.fetch).toHaveBeenCalledTimes(1);

    badges.unsubscribe();
  });

  it('reads every topic view again once topics are invalidated, and nothing else', async () => {
    const api = fakeFetch({
      '/api/health': health,
      '/api/topics': { items: [], total: 0, page: 1, pageSize: 20 },
      '/api/topics/users.raw': topic,
    });
    globalThis.fetch = api.fetch;
    const list = mount(topicsQuery({ page: 1, pageSize: 20 }));
    const detail = mount(topicQuery('users.raw'));
    const badges = mount(healthQuery);
    await jest.advanceTimersByTimeAsync(0);
    const before = [...api.calls];

    await client.invalidateQueries({ queryKey: queryKeys.topics.all });
    const after = api.calls.slice(before.length);
    expect(after.sort()).toEqual(['/api/topics', '/api/topics/users.raw']);

    for (const mounted of [list, detail, badges]) mounted.unsubscribe();
  });
});

describe('shouldRetry', () => {
  it.each([400, 401, 403, 404, 409, 422, 429])('does not try a %i again', (status) => {
    expect(shouldRetry(0, new ApiRequestError(status, undefined))).toBe(false);
  });

  it('tries a 5xx or a request without an answer twice more', () => {
    for (const error of [new ApiRequestError(502, undefined), new TypeError('Failed to fetch')]) {
      expect(shouldRetry(0, error)).toBe(true);
      expect(shouldRetry(1, error)).toBe(true);
      expect(shouldRetry(2, error)).toBe(false);
    }
  });

  it('does not try an answer that breaks its contract again', () => {
    const broken = z.object({ status: z.string() }).safeParse({});
    expect(shouldRetry(0, broken.error)).toBe(false);
  });
});
