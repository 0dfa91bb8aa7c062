import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  Run,
  RunEventList,
  type RunEventKind,
  RunList,
  type RunParams,
  Schedule,
  ScheduleFirings,
} from '@userstream/contracts';
import { intConfig, uniqueName } from '../../../int-env.js';
import { waitFor } from '../../../processes.js';
import { type RandomUserServer, startRandomUserServer } from '../../../randomuser-server.js';
import { runsApi } from '../../../runs-api.js';
import { createApp } from '#src/bootstrap.js';
import { SchedulesRepository } from '#src/ingestion/schedules/schedules.repository.js';

/** Schedules and runs like Airflow's: run now, the next firings, catch-up, re-run, each run's event log. */
describe('schedules and runs like Airflow (Kafka, processor, Cassandra, PostgreSQL)', () => {
  let app: INestApplication;
  let server: RandomUserServer;
  const http = () => request(app.getHttpServer());
  const small: RunParams = { source: 'synthetic', ratePerSecond: 10_000, batchSize: 50, maxRecords: 200 };
  /** Never due during a test (midnight on 1 January). */
  const yearly = '0 0 1 1 *';

  beforeAll(async () => {
    server = await startRandomUserServer();
    app = await createApp(intConfig({ RANDOMUSER_BASE_URL: server.url }));
    await app.init();
    await app.startAllMicroservices();
  });

  /** Every schedule a test made, deleted at the end (a yearly one would otherwise fire on 1 January). */
  const created: string[] = [];

  afterAll(async () => {
    for (const id of created) {
      await http().delete(`/api/ingestion/schedules/${id}`);
    }
    await app?.close();
    await server?.close();
  });

  const createSchedule = async (fields: Record<string, unknown>) => {
    const schedule = Schedule.parse(
      (
        await http()
          .post('/api/ingestion/schedules')
          .send({ name: uniqueName('int-airflow'), cron: yearly, params: small, ...fields })
          .expect(201)
      ).body,
    );
    created.push(schedule.id);
    return schedule;
  };
  const finished = (id: string) => runsApi(app).finished(id, 120_000);
  const runsOf = async (scheduleId: string) =>
    RunList.parse((await http().get(`/api/ingestion/runs?scheduleId=${scheduleId}`).expect(200)).body).items;
  /** The run's events once its end is among them. */
  const eventsOf = (id: string, end: RunEventKind) =>
    waitFor(
      async () => {
        const list = RunEventList.parse(
          (await http().get(`/api/ingestion/runs/${id}/events?pageSize=500`).expect(200)).body,
        );
        return list.items.some((event) => event.kind === end) ? list : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 300, what: `the ${end} event of run ${id}` },
    );

  it("'run now' starts a run with the schedule's parameters, linked to it", async () => {
    const schedule = await createSchedule({ enabled: false });
    const run = Run.parse(
      (await http().post(`/api/ingestion/schedules/${schedule.id}/run`).expect(201)).body,
    );
    expect(run.scheduleId).toBe(schedule.id);
    expect(run.params).toMatchObject(small);
    expect((await finished(run.id)).state).toBe('completed');
    expect((await runsOf(schedule.id)).map((r) => r.id)).toEqual([run.id]);
    const after = Schedule.parse(
      (await http().get(`/api/ingestion/schedules/${schedule.id}`).expect(200)).body,
    );
    expect(after.lastRunId).toBe(run.id);
    await http().post(`/api/ingestion/schedules/00000000-0000-4000-8000-000000000000/run`).expect(404);
  });

  it("previews the next five firings in the schedule's time zone", async () => {
    // 09:00 in Kolkata (UTC+05:30, no daylight saving) is 03:30 UTC
    const schedule = await createSchedule({ cron: '0 9 * * *', timezone: 'Asia/Kolkata' });
    const preview = ScheduleFirings.parse(
      (await http().get(`/api/ingestion/schedules/${schedule.id}/next`).expect(200)).body,
    );
    expect(preview.timezone).toBe('Asia/Kolkata');
    expect(preview.firings).toHaveLength(5);
    const times = preview.firings.map((firing) => new Date(firing));
    expect(times[0]!.getTime()).toBeGreaterThan(Date.now());
    expect(times[0]!.toISOString()).toBe(schedule.nextFireAt);
    for (const [i, time] of times.entries()) {
      expect(time.toISOString()).toMatch(/T03:30:00\.000Z$/);
      if (i > 0) {
        expect(time.getTime() - times[i - 1]!.getTime()).toBe(86_400_000);
      }
    }
    const three = ScheduleFirings.parse(
      (await http().get(`/api/ingestion/schedules/${schedule.id}/next?count=3`).expect(200)).body,
    );
    expect(three.firings).toEqual(preview.firings.slice(0, 3));
    await http().get(`/api/ingestion/schedules/${schedule.id}/next?count=0`).expect(400);
    await http().get(`/api/ingestion/schedules/${schedule.id}/next?count=abc`).expect(400);
    await http().get('/api/ingestion/schedules/00000000-0000-4000-8000-000000000000/next').expect(404);
  });

  it("catch-up 'latest' fires once after a gap with no backend up; 'skip' does not fire", async () => {
    const latest = await createSchedule({ catchUp: 'latest' });
    const skip = await createSchedule({});
    expect(latest.catchUp).toBe('latest');
    expect(skip.catchUp).toBe('skip');
    // every backend was down for the last two hours: the stored next firing lies in the past
    const gapStart = new Date(Date.now() - 2 * 3_600_000);
    const schedules = app.get(SchedulesRepository);
    for (const { id } of [latest, skip]) {
      await schedules.update(id, { nextFireAt: gapStart });
      // a change of name keeps the next firing, and makes the backends read the schedule again
      await http()
        .patch(`/api/ingestion/schedules/${id}`)
        .send({ name: uniqueName('int-airflow-gap') })
        .expect(200);
    }
    const moved = (id: string) =>
      waitFor(
        async () => {
          const current = Schedule.parse(
            (await http().get(`/api/ingestion/schedules/${id}`).expect(200)).body,
          );
          return current.nextFireAt && new Date(current.nextFireAt) > new Date() ? current : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 200, what: `schedule ${id} to claim its missed firing` },
      );
    await moved(latest.id);
    await moved(skip.id);
    const [caughtUp, ...more] = await waitFor(
      async () => {
        const runs = await runsOf(latest.id);
        return runs.length > 0 ? runs : undefined;
      },
      { timeoutMs: 10_000, what: 'the catch-up run' },
    );
    expect(more).toEqual([]);
    const events = await eventsOf(caughtUp!.id, 'completed');
    expect(events.items[0]).toMatchObject({
      kind: 'started',
      message: expect.stringMatching(/catching up/),
      details: expect.objectContaining({ firingDueAt: gapStart.toISOString() }),
    });
    // nothing more fires, for either schedule
    await sleep(2_000);
    expect(await runsOf(latest.id)).toHaveLength(1);
    expect(await runsOf(skip.id)).toHaveLength(0);
  });

  it('re-runs a run with the same parameters and seed, and logs the events of a completed run', async () => {
    const original = Run.parse((await http().post('/api/ingestion/runs').send(small).expect(201)).body);
    expect(original.params.seed).toBeTruthy();
    await finished(original.id);
    const rerun = Run.parse((await http().post(`/api/ingestion/runs/${original.id}/rerun`).expect(201)).body);
    expect(rerun.id).not.toBe(original.id);
    expect(rerun.params).toEqual(original.params);
    const done = await finished(rerun.id);
    expect(done).toMatchObject({ state: 'completed', counters: { produced: 200, stored: 200 } });

    const events = await eventsOf(rerun.id, 'completed');
    const kinds = events.items.map((event) => event.kind);
    expect(kinds[0]).toBe('started');
    expect(events.items[0]!.message).toContain(original.id);
    expect(kinds.filter((kind) => kind === 'page')).toHaveLength(4); // 200 users, pages of 50
    expect(kinds.at(-1)).toBe('completed');
    expect(events.items.at(-1)!.details).toMatchObject({ fetched: 200, produced: 200, stored: 200 });
    expect(events.total).toBe(events.items.length);
    const ids = events.items.map((event) => event.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const second = RunEventList.parse(
      (await http().get(`/api/ingestion/runs/${rerun.id}/events?page=2&pageSize=1`).expect(200)).body,
    );
    expect(second.items).toEqual([events.items[1]]);
    await http().get(`/api/ingestion/runs/${rerun.id}/events?pageSize=0`).expect(400);
    await http().get('/api/ingestion/runs/00000000-0000-4000-8000-000000000000/events').expect(404);
    await http().post('/api/ingestion/runs/00000000-0000-4000-8000-000000000000/rerun').expect(404);
  });

  it('logs the retries and the failure of a run whose source answers 500', async () => {
    server.setScript(Array.from({ length: 6 }, () => ({ status: 500, body: { error: 'down' } })));
    const run = Run.parse(
      (
        await http()
          .post('/api/ingestion/runs')
          .send({ source: 'randomuser', ratePerSecond: 100, batchSize: 5, maxRecords: 5 })
          .expect(201)
      ).body,
    );
    expect((await finished(run.id)).state).toBe('failed');
    const events = await eventsOf(run.id, 'failed');
    const kinds = events.items.map((event) => event.kind);
    expect(kinds[0]).toBe('started');
    expect(kinds.filter((kind) => kind === 'retry').length).toBeGreaterThanOrEqual(1);
    expect(events.items.find((event) => event.kind === 'retry')!.message).toMatch(/500/);
    expect(kinds.at(-1)).toBe('failed');
    expect(kinds).not.toContain('page');
  });
});
