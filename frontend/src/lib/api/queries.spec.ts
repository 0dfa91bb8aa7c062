import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  environmentManager,
  type QueryClient,
  type QueryKey,
  QueryObserver,
  type QueryObserverOptions,
} from '@tanstack/react-query';
import type {
  HealthResponse,
  LiveHistory,
  Run,
  RunCounters,
  RunCurve,
  RunEventKind,
  RunEventList,
  RunState,
} from '@userstream/contracts';
import { z } from 'zod';
import { ApiRequestError } from './client';
import {
  healthQuery,
  HISTORY_POLL_MS,
  isNotFound,
  liveHistoryQuery,
  POLL_MS,
  queryKeys,
  RUN_EVENTS_POLLS_AFTER_END,
  RUN_SETTLED_AFTER_STABLE_POLLS,
  runCurveQuery,
  runEventsQuery,
  runPollInterval,
  type RunPoll,
  runQuery,
  topicQuery,
  topicsQuery,
} from './queries';
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

const RUN_ID = '7f0c7a52-5b1e-4c47-9d1c-0a3b5e0f6a11';

const run = (state: RunState, counters: Partial<RunCounters> = {}): Run => ({
  id: RUN_ID,
  state,
  source: 'synthetic',
  params: { source: 'synthetic', ratePerSecond: 10, batchSize: 10 },
  scheduleId: null,
  counters: { fetched: 10, produced: 10, processed: 10, stored: 10, deadLettered: 0, ...counters },
  error: null,
  errors: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  durationMs: null,
});

const events = (...kinds: RunEventKind[]): RunEventList => ({
  items: kinds.map((kind, index) => ({
    id: index + 1,
    runId: RUN_ID,
    at: '2026-01-01T00:00:00.000Z',
    kind,
    message: kind,
    details: null,
  })),
  total: kinds.length,
  page: 1,
  pageSize: 200,
});

const curve: RunCurve = { runId: RUN_ID, bucketSeconds: 1, points: [] };
const history: LiveHistory = { range: '10m', bucketSeconds: 1, points: [] };

const RUN_PATH = `/api/ingestion/runs/${RUN_ID}`;
const EVENTS_PATH = `${RUN_PATH}/events`;
const CURVE_PATH = `${RUN_PATH}/curve`;
const HISTORY_PATH = '/api/live/history';

/** An answer with this status (and an error body) instead of data. */
const failWith = (status: number) => () => Response.json({ message: `status ${status}` }, { status });

/**
 * Stands in for the browser's fetch: answers by path (a function answers with its own response; no answer
 * is a 404), and records each path asked for.
 */
function fakeFetch(answers: Record<string, unknown>) {
  const calls: string[] = [];
  const fetch = jest.fn((input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.split('?')[0]!;
    calls.push(path);
    const body = answers[path];
    if (typeof body === 'function') {
      return Promise.resolve((body as () => Response)());
    }
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

    for (const mounted of [list, detail, badges]) {
      mounted.unsubscribe();
    }
  });

  describe('a run', () => {
    const runState = () =>
      client.getQueryCache().find<RunPoll>({ queryKey: queryKeys.runs.detail(RUN_ID) })!.state;

    it('is polled every second until it has ended and processed all it produced', async () => {
      const answers: Record<string, unknown> = { [RUN_PATH]: run('running', { processed: 5 }) };
      const api = fakeFetch(answers);
      globalThis.fetch = api.fetch;
      const page = mount(runQuery(RUN_ID));
      await jest.advanceTimersByTimeAsync(0);
      expect(runPollInterval({ state: runState() })).toBe(POLL_MS.run);
      await jest.advanceTimersByTimeAsync(POLL_MS.run * 3);
      expect(api.count(RUN_PATH)).toBe(4);
      expect(page.observer.getCurrentResult().data?.settled).toBe(false);

      answers[RUN_PATH] = run('completed');
      await jest.advanceTimersByTimeAsync(POLL_MS.run);
      expect(api.count(RUN_PATH)).toBe(5);
      expect(page.observer.getCurrentResult().data?.settled).toBe(true);
      expect(runPollInterval({ state: runState() })).toBe(false);
      await jest.advanceTimersByTimeAsync(POLL_MS.run * 30);
      expect(api.count(RUN_PATH)).toBe(5);

      page.unsubscribe();
    });

    it('settles once a finished run has had the same counters for a few reads', async () => {
      const answers: Record<string, unknown> = { [RUN_PATH]: run('stopped', { processed: 8 }) };
      const api = fakeFetch(answers);
      globalThis.fetch = api.fetch;
      const page = mount(runQuery(RUN_ID));
      await jest.advanceTimersByTimeAsync(POLL_MS.run * 2);
      expect(page.observer.getCurrentResult().data).toMatchObject({ stablePolls: 2, settled: false });
      // counters that move start the count again
      answers[RUN_PATH] = run('stopped', { processed: 9 });
      await jest.advanceTimersByTimeAsync(POLL_MS.run * RUN_SETTLED_AFTER_STABLE_POLLS);
      expect(page.observer.getCurrentResult().data).toMatchObject({
        stablePolls: RUN_SETTLED_AFTER_STABLE_POLLS - 1,
        settled: false,
      });

      await jest.advanceTimersByTimeAsync(POLL_MS.run);
      expect(page.observer.getCurrentResult().data?.settled).toBe(true);
      const reads = api.count(RUN_PATH);
      expect(reads).toBe(4 + RUN_SETTLED_AFTER_STABLE_POLLS);
      await jest.advanceTimersByTimeAsync(POLL_MS.run * 30);
      expect(api.count(RUN_PATH)).toBe(reads);

      page.unsubscribe();
    });

    it('is not read again once it is not found, not even when the tab is shown again', async () => {
      const api = fakeFetch({});
      globalThis.fetch = api.fetch;
      const page = mount(runQuery(RUN_ID));
      await jest.advanceTimersByTimeAsync(0);
      expect(isNotFound(page.observer.getCurrentResult().error)).toBe(true);
      expect(runPollInterval({ state: runState() })).toBe(false);

      await jest.advanceTimersByTimeAsync(POLL_MS.runAfterError * 10);
      windowEvents.dispatchEvent(new Event('visibilitychange'));
      await jest.advanceTimersByTimeAsync(0);
      expect(api.count(RUN_PATH)).toBe(1);

      page.unsubscribe();
    });

    it('is read more slowly after an error, without retries, and every second again once it answers', async () => {
      const answers: Record<string, unknown> = { [RUN_PATH]: failWith(502) };
      const api = fakeFetch(answers);
      globalThis.fetch = api.fetch;
      const page = mount(runQuery(RUN_ID));
      await jest.advanceTimersByTimeAsync(0);
      expect(page.observer.getCurrentResult().error).toBeInstanceOf(ApiRequestError);
      expect(runPollInterval({ state: runState() })).toBe(POLL_MS.runAfterError);
      await jest.advanceTimersByTimeAsync(POLL_MS.runAfterError - 1);
      expect(api.count(RUN_PATH)).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(api.count(RUN_PATH)).toBe(2);

      answers[RUN_PATH] = run('running');
      await jest.advanceTimersByTimeAsync(POLL_MS.runAfterError);
      expect(api.count(RUN_PATH)).toBe(3);
      expect(page.observer.getCurrentResult().error).toBeNull();
      await jest.advanceTimersByTimeAsync(POLL_MS.run * 2);
      expect(api.count(RUN_PATH)).toBe(5);

      page.unsubscribe();
    });
  });

  describe("a run's events", () => {
    it('are polled while the run is active, then a few more times until its end event is there', async () => {
      const answers: Record<string, unknown> = { [EVENTS_PATH]: events('started') };
      const api = fakeFetch(answers);
      globalThis.fetch = api.fetch;
      const panel = mount(runEventsQuery(RUN_ID, true));
      await jest.advanceTimersByTimeAsync(POLL_MS.runEvents * 2);
      expect(api.count(EVENTS_PATH)).toBe(3);

      // the run ends: read at once, showing the last list meanwhile
      panel.observer.setOptions(runEventsQuery(RUN_ID, false));
      expect(panel.observer.getCurrentResult()).toMatchObject({
        data: events('started'),
        isPlaceholderData: true,
      });
      await jest.advanceTimersByTimeAsync(0);
      expect(api.count(EVENTS_PATH)).toBe(4);
      await jest.advanceTimersByTimeAsync(POLL_MS.runEvents * 30);
      expect(api.count(EVENTS_PATH)).toBe(4 + RUN_EVENTS_POLLS_AFTER_END);

      panel.unsubscribe();
    });

    it('of an ended run stop as soon as the end event is there', async () => {
      const answers: Record<string, unknown> = { [EVENTS_PATH]: events('started') };
      const api = fakeFetch(answers);
      globalThis.fetch = api.fetch;
      const panel = mount(runEventsQuery(RUN_ID, false));
      await jest.advanceTimersByTimeAsync(POLL_MS.runEvents);
      answers[EVENTS_PATH] = events('started', 'completed');
      await jest.advanceTimersByTimeAsync(POLL_MS.runEvents);
      expect(api.count(EVENTS_PATH)).toBe(3);
      await jest.advanceTimersByTimeAsync(POLL_MS.runEvents * 30);
      expect(api.count(EVENTS_PATH)).toBe(3);

      panel.unsubscribe();
    });

    it('are read every 4 s after an error, active or not', async () => {
      const api = fakeFetch({ [EVENTS_PATH]: failWith(503) });
      globalThis.fetch = api.fetch;
      const panel = mount(runEventsQuery(RUN_ID, false));
      await jest.advanceTimersByTimeAsync(POLL_MS.runEventsAfterError * 3);
      expect(api.count(EVENTS_PATH)).toBe(4);

      panel.unsubscribe();
    });
  });

  it("refreshes a run's curve until the run settles, then reads it once more", async () => {
    const api = fakeFetch({ [CURVE_PATH]: curve });
    globalThis.fetch = api.fetch;
    const panel = mount(runCurveQuery(RUN_ID, false));
    await jest.advanceTimersByTimeAsync(POLL_MS.runCurve * 2);
    expect(api.count(CURVE_PATH)).toBe(3);

    panel.observer.setOptions(runCurveQuery(RUN_ID, true));
    expect(panel.observer.getCurrentResult().data).toEqual(curve);
    await jest.advanceTimersByTimeAsync(0);
    expect(api.count(CURVE_PATH)).toBe(4);
    await jest.advanceTimersByTimeAsync(POLL_MS.runCurve * 30);
    windowEvents.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(0);
    expect(api.count(CURVE_PATH)).toBe(4);

    panel.unsubscribe();
  });

  it('reads the 10 minute history once and the longer ones once per bucket, each range afresh', async () => {
    const api = fakeFetch({ [HISTORY_PATH]: history });
    globalThis.fetch = api.fetch;
    const panel = mount(liveHistoryQuery('10m'));
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(api.count(HISTORY_PATH)).toBe(1);

    panel.observer.setOptions(liveHistoryQuery('2h'));
    await jest.advanceTimersByTimeAsync(Number(HISTORY_POLL_MS['2h']) * 3);
    expect(api.count(HISTORY_PATH)).toBe(5);

    panel.observer.setOptions(liveHistoryQuery('24h'));
    await jest.advanceTimersByTimeAsync(Number(HISTORY_POLL_MS['24h']));
    expect(api.count(HISTORY_PATH)).toBe(7);

    // back to 10 minutes: loading again, not the answer read before
    panel.observer.setOptions(liveHistoryQuery('10m'));
    expect(panel.observer.getCurrentResult()).toMatchObject({ isPending: true, data: undefined });
    await jest.advanceTimersByTimeAsync(0);
    expect(panel.observer.getCurrentResult().data).toEqual(history);
    expect(api.calls).toHaveLength(8);

    panel.unsubscribe();
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
