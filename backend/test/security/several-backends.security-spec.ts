import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { ApiError, Run, RunEventList, RunList, type RunParams, Schedule } from '@userstream/contracts';
import { startOutageProxy } from '../faults/harness.js';
import { intConfig } from '../int-env.js';
import { type BackendProcess, freePort, startBackend, waitFor } from '../processes.js';

/**
 * Two API backends (two processes of dist/main.js) on one fresh PostgreSQL database: whichever backend is asked,
 * the answer is the same. Backend A reaches PostgreSQL through a TCP proxy the test can cut (the machine's
 * server is shared and stays up). Runs write to a topic of this test's own, which no processor reads, so they
 * end as soon as they have produced.
 */
const CAP = 2;
const suffix = randomUUID().slice(0, 8);
const DATABASE = `userstream_backends_${suffix}`;
const TOPIC = `several-backends-${suffix}`;
const config = intConfig();
const serverUrl = new URL(config.postgres.url);
const databaseUrl = (port: string) => {
  const url = new URL(serverUrl);
  url.port = port;
  url.pathname = `/${DATABASE}`;
  return url.toString();
};

/** A SQL statement on the server's maintenance database (creating and dropping this test's database). */
async function onServer(sql: string): Promise<void> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Api {
  name: string;
  backend: BackendProcess;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

async function startApi(name: string, databasePort: string): Promise<Api> {
  const port = await freePort();
  const backend = await startBackend(
    {
      APP_ROLE: 'api',
      PORT: String(port),
      DATABASE_URL: databaseUrl(databasePort),
      INGESTION_MAX_CONCURRENT_RUNS: String(CAP),
    },
    /userstream api on/,
  );
  return {
    name,
    backend,
    async call(method, path, body) {
      const res = await fetch(`http://127.0.0.1:${port}/api${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}

const runParams = (overrides: Partial<RunParams> = {}): RunParams => ({
  source: 'synthetic',
  ratePerSecond: 500,
  batchSize: 50,
  topic: TOPIC,
  ...overrides,
});

describe('several backends on one database, one truth', () => {
  const kafka = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
  let a: Api;
  let b: Api;

  const startRun = async (api: Api, params: RunParams) => {
    const res = await api.call('POST', '/ingestion/runs', params);
    expect(res.status).toBe(201);
    return Run.parse(res.body);
  };
  const getRun = async (api: Api, id: string) =>
    Run.parse((await api.call('GET', `/ingestion/runs/${id}`)).body);
  const runsOfSchedule = async (api: Api, scheduleId: string) =>
    RunList.parse((await api.call('GET', `/ingestion/runs?scheduleId=${scheduleId}&pageSize=200`)).body)
      .items;
  const topicEnd = async () =>
    (await admin.fetchTopicOffsets(TOPIC)).reduce((sum, { high }) => sum + Number(high), 0);
  /** No run active on either backend (the cap counts them all). */
  const settled = () =>
    waitFor(
      async () => {
        const list = RunList.parse((await b.call('GET', '/ingestion/runs?pageSize=200')).body);
        return list.items.every((run) =>
          ['completed', 'stopped', 'failed', 'interrupted'].includes(run.state),
        )
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, what: 'every run to end' },
    );

  beforeAll(async () => {
    await onServer(`CREATE DATABASE "${DATABASE}"`);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    proxy = await startOutageProxy(Number(serverUrl.port || 5432));
    // one after the other: both migrate the fresh database at boot (under a lock, but quicker this way)
    a = await startApi('A', String(proxy.port));
    b = await startApi('B', serverUrl.port || '5432');
  });

  afterAll(async () => {
    for (const api of [a, b]) {
      api?.backend.child.kill('SIGCONT');
      await api?.backend.kill('SIGTERM');
    }
    await proxy?.close();
    await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    await admin.disconnect();
    await onServer(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  });

  it('a stop sent to the other backend stops the run where it runs: production stops, the run ends stopped', async () => {
    const run = await startRun(a, runParams());
    await waitFor(async () => ((await getRun(b, run.id)).counters.produced > 0 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the run to produce',
    });

    const res = await b.call('POST', `/ingestion/runs/${run.id}/stop`);
    expect(res.status).toBe(200);
    const answered = Run.parse(res.body);
    // B answers with the end A recorded, not with a state it wrote itself
    expect(answered.state).toBe('stopped');
    expect(answered.finishedAt).not.toBeNull();

    const producedAtStop = (await getRun(b, run.id)).counters.produced;
    const endAtStop = await topicEnd();
    await sleep(3_000);
    const later = await getRun(a, run.id);
    expect(later.state).toBe('stopped');
    expect(later.counters.produced).toBe(producedAtStop);
    expect(await topicEnd()).toBe(endAtStop);
  });

  it('a stop sent to the other backend ends the run itself when its owner is dead (no heartbeat)', async () => {
    const run = await startRun(a, runParams());
    await waitFor(async () => ((await getRun(b, run.id)).counters.produced > 0 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the run to produce',
    });
    a.backend.child.kill('SIGSTOP');
    try {
      const res = await b.call('POST', `/ingestion/runs/${run.id}/stop`);
      expect(res.status).toBe(200);
      expect(Run.parse(res.body).state).toBe('stopped');
    } finally {
      a.backend.child.kill('SIGCONT');
    }
    // A, back, reads the end from its next heartbeat and stops producing
    await sleep(2_000);
    const endAfterThaw = await topicEnd();
    await sleep(2_000);
    expect(await topicEnd()).toBe(endAfterThaw);
    expect((await getRun(a, run.id)).state).toBe('stopped');
  });

  it('a schedule created, edited and deleted on one backend is followed by the other at once, each firing once', async () => {
    await settled();
    const created = await a.call('POST', '/ingestion/schedules', {
      name: `every two seconds ${suffix}`,
      cron: '*/2 * * * * *',
      params: runParams({ ratePerSecond: 1_000, batchSize: 10, maxRecords: 10 }),
    });
    expect(created.status).toBe(201);
    const schedule = Schedule.parse(created.body);
    const seenByB = Schedule.parse((await b.call('GET', `/ingestion/schedules/${schedule.id}`)).body);
    expect(seenByB.cron).toBe(schedule.cron);
    // the same firing, or a later one if it fired meanwhile (every two seconds: a loaded machine can take that long)
    expect(seenByB.nextFireAt).not.toBeNull();
    expect(Date.parse(seenByB.nextFireAt!)).toBeGreaterThanOrEqual(Date.parse(schedule.nextFireAt!));
    expect(new Date(seenByB.nextFireAt!).getUTCSeconds() % 2).toBe(0);

    /**
     * The schedule's runs with the firing each was started for (from its `started` event). Checks go by firing,
     * not by when the run row appeared: on a loaded machine a run may be created a second or more after its firing.
     */
    const firings = async (runs?: Run[]) => {
      runs ??= await runsOfSchedule(b, schedule.id);
      return Promise.all(
        runs.map(async (run) => {
          const started = await waitFor(
            async () => {
              const list = RunEventList.parse((await b.call('GET', `/ingestion/runs/${run.id}/events`)).body);
              return list.items.find((event) => event.kind === 'started');
            },
            { timeoutMs: 20_000, intervalMs: 200, what: `the started event of run ${run.id}` },
          );
          return {
            due: Date.parse(String(started.details?.firingDueAt)),
            createdAt: Date.parse(run.createdAt),
          };
        }),
      );
    };
    /** A frozen for `ms` (from just between two firings, so it holds no claim); the window it was frozen in. */
    const freezeA = async (ms: number) => {
      await sleep(2_000 - ((Date.now() + 1_000) % 2_000));
      const from = Date.now();
      a.backend.child.kill('SIGSTOP');
      try {
        await sleep(ms);
      } finally {
        a.backend.child.kill('SIGCONT');
      }
      return { from, to: Date.now() };
    };
    /** Runs for firings due in the window, started before it ended: only B could have started them. */
    const firedByB = async ({ from, to }: { from: number; to: number }) =>
      (await firings()).filter((run) => run.due >= from && run.due <= to && run.createdAt <= to);

    // created on A: B fires it too
    expect((await firedByB(await freezeA(5_000))).length).toBeGreaterThanOrEqual(2);

    // both up: each firing starts exactly one run, whichever backend claims it
    await sleep(8_000);
    const dues = (await firings()).map((run) => run.due);
    expect(dues.length).toBeGreaterThanOrEqual(6);
    expect(dues.every((due) => new Date(due).getUTCSeconds() % 2 === 0)).toBe(true);
    expect(new Set(dues).size).toBe(dues.length);

    // disabled on A: nothing due after that fires, on either backend
    expect((await a.call('PATCH', `/ingestion/schedules/${schedule.id}`, { enabled: false })).status).toBe(
      200,
    );
    const disabledAt = Date.now();
    await freezeA(5_000);
    await sleep(2_000);
    expect((await firings()).filter((run) => run.due > disabledAt)).toEqual([]);

    // edited on A (every three seconds, enabled again): B fires on the new timing
    const edited = await a.call('PATCH', `/ingestion/schedules/${schedule.id}`, {
      cron: '*/3 * * * * *',
      enabled: true,
    });
    expect(edited.status).toBe(200);
    const editedAt = Date.now();
    const onNewTiming = await firedByB(await freezeA(7_000));
    expect(onNewTiming.length).toBeGreaterThanOrEqual(2);
    const sinceEdit = (await firings()).filter((run) => run.due > editedAt);
    expect(sinceEdit.map((run) => new Date(run.due).getUTCSeconds() % 3)).toEqual(sinceEdit.map(() => 0));

    // deleted on A: B fires it no more (a deleted schedule's runs no longer name it: look at every recent run)
    expect((await a.call('DELETE', `/ingestion/schedules/${schedule.id}`)).status).toBe(204);
    const deletedAt = Date.now();
    expect((await b.call('GET', `/ingestion/schedules/${schedule.id}`)).status).toBe(404);
    await freezeA(5_000);
    await sleep(2_000);
    const recent = RunList.parse((await b.call('GET', '/ingestion/runs?pageSize=50')).body).items;
    expect((await firings(recent)).filter((run) => run.due > deletedAt)).toEqual([]);
  });

  it("a firing missed while every backend was down is caught up once under 'latest', by one backend only", async () => {
    await settled();
    const created = await a.call('POST', '/ingestion/schedules', {
      name: `catch up ${suffix}`,
      cron: '0 0 1 1 *',
      catchUp: 'latest',
      params: runParams({ ratePerSecond: 1_000, batchSize: 10, maxRecords: 10 }),
    });
    expect(created.status).toBe(201);
    const schedule = Schedule.parse(created.body);
    // the firing due three hours ago was never claimed: no backend was up
    const client = new pg.Client({ connectionString: databaseUrl(serverUrl.port || '5432') });
    await client.connect();
    try {
      await client.query(
        `UPDATE ingestion_schedules SET next_fire_at = now() - interval '3 hours' WHERE id = $1`,
        [schedule.id],
      );
    } finally {
      await client.end();
    }
    // a change of name keeps the next firing and makes both backends read the schedule again, at once
    const renamed = await b.call('PATCH', `/ingestion/schedules/${schedule.id}`, {
      name: `caught up ${suffix}`,
    });
    expect(renamed.status).toBe(200);
    await waitFor(async () => ((await runsOfSchedule(a, schedule.id)).length > 0 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the catch-up run',
    });
    await sleep(3_000);
    expect(await runsOfSchedule(b, schedule.id)).toHaveLength(1);
    const after = Schedule.parse((await a.call('GET', `/ingestion/schedules/${schedule.id}`)).body);
    expect(Date.parse(after.nextFireAt!)).toBeGreaterThan(Date.now());
    expect((await a.call('DELETE', `/ingestion/schedules/${schedule.id}`)).status).toBe(204);
  });

  it(`the cap of ${CAP} concurrent runs holds when both backends are asked at the same moment`, async () => {
    await settled();
    const attempts = await Promise.all(
      [a, b, a, b, a, b].map((api) => api.call('POST', '/ingestion/runs', runParams({ ratePerSecond: 100 }))),
    );
    const started = attempts.filter((res) => res.status === 201).map((res) => Run.parse(res.body));
    const refused = attempts.filter((res) => res.status === 409);
    try {
      expect(started).toHaveLength(CAP);
      expect(refused).toHaveLength(attempts.length - CAP);
      for (const res of refused) {
        expect(ApiError.parse(res.body).code).toBe('TOO_MANY_RUNS');
      }
    } finally {
      await Promise.all(started.map((run) => b.call('POST', `/ingestion/runs/${run.id}/stop`)));
    }
  });

  it('a run that finishes while PostgreSQL is unreachable ends completed once it is back, never interrupted', async () => {
    await settled();
    const endBefore = await topicEnd();
    const run = await startRun(a, runParams({ ratePerSecond: 1_000, batchSize: 100, maxRecords: 4_000 }));
    await waitFor(async () => ((await getRun(b, run.id)).counters.produced >= 500 ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'the run to produce',
    });
    await proxy.cut();
    // the run produces its last records and finishes meanwhile; the outage stays shorter than the 15 s after
    // which another backend would rightly take A for dead
    await waitFor(async () => ((await topicEnd()) >= endBefore + 4_000 ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the run to produce everything',
    });
    await sleep(4_000);
    expect((await getRun(b, run.id)).state).toBe('running');
    await proxy.restore();

    const ended = await waitFor(
      async () => {
        const current = await getRun(b, run.id);
        return current.state === 'running' ? undefined : current;
      },
      { timeoutMs: 60_000, what: 'the run to record its end' },
    );
    expect(ended.state).toBe('completed');
    expect(ended.counters.produced).toBe(4_000);
    // well past the staleness limit and a reaper round on both backends: still completed
    await sleep(21_000);
    expect((await getRun(a, run.id)).state).toBe('completed');
  });
});
