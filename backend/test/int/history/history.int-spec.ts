import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  FINISHED_RUN_STATES,
  type HistoryRange,
  LiveHistory,
  Run,
  RunCurve,
  type ThroughputPoint,
} from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { ThroughputHistory } from '#src/live/throughput-history.js';
import { HistoryService } from '#src/history/history.service.js';
import { ThroughputSamplesRepository } from '#src/history/throughput-samples.repository.js';

const config = intConfig();
const HOUR = 3_600_000;

/** Distinct values per second, so a bucket read back from the wrong seconds would not match. */
const sample = (t: number, i: number): ThroughputPoint => ({
  t,
  rates: { fetched: i, produced: i + 0.5, processed: i / 3, stored: i / 4, deadLettered: i % 7 },
  streamRate: i / 5,
  lag: i % 11 === 0 ? null : i * 3,
  drainSeconds: i % 11 === 0 ? null : i / 9,
  latencyMs: i % 13 === 0 ? null : { p50: i % 100, p99: (i % 100) * 4 },
});

describe('history in PostgreSQL (survives a restart of the backend, retention)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const boot = async () => {
    app = await createApp(config);
    await app.init();
    await app.startAllMicroservices();
  };
  const history = async (range: HistoryRange) =>
    LiveHistory.parse((await http().get(`/api/live/history?range=${range}`).expect(200)).body);
  const curve = async (id: string) =>
    RunCurve.parse((await http().get(`/api/ingestion/runs/${id}/curve`).expect(200)).body);

  beforeAll(boot);

  afterAll(async () => {
    await app.close();
  });

  it('a restart keeps the 10 min, 2 h and 24 h history and a finished run’s curve', async () => {
    // samples an hour ago, as a backend would have recorded them (a window of its own: reruns start clean)
    const start = Math.floor((Date.now() - 90 * 60_000) / 60_000) * 60_000;
    const older = Array.from({ length: 30 * 60 }, (_, i) => sample(start + i * 1000, i));
    await app
      .get<DataSource>(getDataSourceToken())
      .query('DELETE FROM throughput_samples WHERE t >= $1 AND t < $2', [
        new Date(start),
        new Date(start + 30 * 60_000),
      ]);
    const store = app.get(HistoryService);
    for (const point of older) {
      store.record(point);
    }
    await store.flush();

    const run = Run.parse(
      (
        await http()
          .post('/api/ingestion/runs')
          .send({ source: 'synthetic', ratePerSecond: 1_000, batchSize: 100, maxRecords: 3_000 })
          .expect(201)
      ).body,
    );
    const done = await waitFor(
      async () => {
        const current = Run.parse((await http().get(`/api/ingestion/runs/${run.id}`).expect(200)).body);
        return FINISHED_RUN_STATES.includes(current.state) && current.counters.processed >= 3_000
          ? current
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: `run ${run.id} to finish and be processed` },
    );
    expect(done.state).toBe('completed');
    // the live stats sample a run's counters every second: wait for its final ones in the curve (all of them:
    // the processors' counters can be whole before the run's last fetched and produced counts are written)
    const before = await waitFor(
      async () => {
        const read = await curve(run.id);
        const last = read.points.at(-1)?.counters;
        const stages = Object.keys(done.counters) as (keyof typeof done.counters)[];
        return stages.every((stage) => last?.[stage] === done.counters[stage]) ? read : undefined;
      },
      { timeoutMs: 20_000, what: "the run's final counters in its curve" },
    );
    expect(before.points[0]!.counters).toEqual({
      fetched: 0,
      produced: 0,
      processed: 0,
      stored: 0,
      deadLettered: 0,
    });
    expect(before.points.at(-1)!.counters).toEqual(done.counters);
    expect(before.points.at(-1)!.lag).toBe(0);
    expect(Math.max(...before.points.map((p) => p.rates.stored))).toBeGreaterThan(0);

    const tenMinutes = await history('10m');
    await app.close(); // writes what is still buffered
    await boot();

    // the seconds recorded before the restart come back as they were (the last one was still filling)
    const cutoff = tenMinutes.points.at(-1)!.t;
    const kept = (await history('10m')).points.filter((p) => p.t < cutoff);
    const expected = tenMinutes.points.filter((p) => p.t < cutoff && p.t >= kept[0]!.t);
    expect(kept.length).toBeGreaterThanOrEqual(5);
    expect(kept).toEqual(expected);

    // the older samples come back in the 2 h and 24 h buckets exactly as a backend that never stopped has them
    const replay = new ThroughputHistory();
    for (const point of older) {
      replay.record(point);
    }
    const inWindow = (points: ThroughputPoint[]) =>
      points.filter((p) => p.t >= start && p.t < start + 30 * 60_000);
    for (const range of ['2h', '24h'] as const) {
      const read = inWindow((await history(range)).points);
      const want = inWindow(replay.get(range, start + 30 * 60_000).points);
      expect(read.length).toBe(range === '2h' ? 180 : 30);
      expect(read).toEqual(want);
    }

    // every point read before the restart, in order; a backend may still record a second or two of the
    // finished run (its final counters) between that read and its shutdown
    const after = await curve(run.id);
    expect({ ...after, points: [] }).toEqual({ ...before, points: [] });
    expect(after.points.slice(0, before.points.length)).toEqual(before.points);
    for (const point of after.points.slice(before.points.length)) {
      expect(point.counters).toEqual(done.counters);
    }
  });

  it('deletes samples and curve points older than HISTORY_RETENTION_HOURS', async () => {
    const store = app.get(HistoryService);
    const run = Run.parse(
      (await http().get('/api/ingestion/runs?page=1&pageSize=1').expect(200)).body.items[0],
    );
    const now = Date.now();
    const stale = now - config.history.retentionHours * HOUR - 60_000;
    store.record(sample(stale, 1));
    store.record(sample(now - HOUR, 2));
    store.recordRun(run.id, stale, run.counters);
    await store.flush();

    const removed = await store.enforceRetention(now);
    expect(removed.samples).toBeGreaterThanOrEqual(1);
    expect(removed.curvePoints).toBeGreaterThanOrEqual(1);
    const left = await app.get(ThroughputSamplesRepository).findSince(new Date(0));
    expect(left.every((p) => p.t >= now - config.history.retentionHours * HOUR)).toBe(true);
    expect(left.some((p) => p.t === Math.floor((now - HOUR) / 1000) * 1000)).toBe(true);
    const points = (await curve(run.id)).points;
    expect(points.every((p) => p.t >= now - config.history.retentionHours * HOUR)).toBe(true);
  });

  it('answers 404 for an unknown run and 400 for a malformed id', async () => {
    const missing = await http()
      .get('/api/ingestion/runs/9f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d/curve')
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'RUN_NOT_FOUND' });
    const bad = await http().get('/api/ingestion/runs/not-a-uuid/curve').expect(400);
    expect(bad.body).toHaveProperty('code');
    expect(bad.body).toHaveProperty('message');
  });
});
