import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, type KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import {
  MessagePage,
  RawUserHeaders,
  Run,
  type RunParams,
  RunList,
  Schedule,
  SeedUser,
  UserLineage,
} from '@userstream/contracts';
import { intConfig, uniqueName } from '../../../int-env.js';
import { waitFor } from '../../../processes.js';
import { runsApi } from '../../../runs-api.js';
import { createApp } from '#src/bootstrap.js';
import { AppConfig } from '#src/config/app-config.js';
import { transformUser } from '#src/processing/user-transform.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { toSeedUser } from '#src/ingestion/formats/seed-user.format.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';

describe('ingestion runs through the real pipeline (Kafka, processor, Cassandra, PostgreSQL)', () => {
  let app: INestApplication;
  let users: UsersRepository;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createApp(intConfig());
    await app.init(); // creates the topics the processor subscribes to
    await app.startAllMicroservices();
    users = app.get(UsersRepository);
  });

  afterAll(async () => {
    await app.close();
  });

  const startRun = (params: RunParams) => runsApi(app).start(params);
  const getRun = (id: string) => runsApi(app).getRun(id);
  const finished = (id: string, timeoutMs = 180_000) => runsApi(app).finished(id, timeoutMs);

  it('a synthetic run of 20,000 users completes and Cassandra holds exactly those users, field for field', async () => {
    const seed = `int-${Date.now()}`;
    const run = await startRun({
      source: 'synthetic',
      ratePerSecond: 50_000,
      batchSize: 1_000,
      maxRecords: 20_000,
      seed,
    });
    expect(run.state).toBe('running');
    const done = await finished(run.id);
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.counters).toMatchObject({
      fetched: 20_000,
      produced: 20_000,
      stored: 20_000,
      deadLettered: 0,
    });

    // regenerate the same users from the seed: what was produced
    const expected = await new SyntheticSource({ seed }).next(20_000);
    const expectedRows = expected.map((raw) => {
      const result = transformUser(raw, { source: 'synthetic', runId: run.id, ingestedAt: null }, new Date());
      if (!result.ok) {
        throw new Error(result.reason);
      }
      return result.user;
    });
    const ids = await users.idsByRun(run.id);
    expect(ids).toHaveLength(20_000);
    expect(new Set(ids)).toEqual(new Set(expectedRows.map((row) => row.id)));

    const sample = expectedRows.filter((_, index) => index % 97 === 0);
    const stored = new Map((await users.findByIds(sample.map((row) => row.id))).map((row) => [row.id, row]));
    for (const row of sample) {
      const {
        processedAt: _p,
        fetchedAt: _f,
        ingestedAt: _i,
        kafkaTopic: _t,
        kafkaPartition: _pa,
        kafkaOffset: _o,
        ...fields
      } = row;
      expect(stored.get(row.id)).toMatchObject({ ...fields, runId: run.id, source: 'synthetic' });
      expect(stored.get(row.id)?.ingestedAt).toBeInstanceOf(Date);
    }

    // lineage: the stored row points at the raw record it came from, and its stages are in order
    const lineage = UserLineage.parse(
      (await http().get(`/api/users/${sample[0]!.id}/lineage`).expect(200)).body,
    );
    expect(lineage).toMatchObject({ userId: sample[0]!.id, runId: run.id, source: 'synthetic' });
    expect(lineage.kafka?.topic).toBe(app.get(AppConfig).kafka.topics.rawUsers);
    const times = lineage.stages.map(({ at }) => Date.parse(at ?? ''));
    expect(lineage.stages.map(({ stage }) => stage)).toEqual(['fetched', 'produced', 'processed', 'stored']);
    times.forEach((time, i) =>
      expect(time).toBeGreaterThanOrEqual(i === 0 ? Date.parse(done.startedAt ?? '') : times[i - 1]!),
    );
    expect(lineage.totalMs).toBe(times[3]! - times[0]!);
    const { partition, offset } = lineage.kafka!;
    const browsed = MessagePage.parse(
      (
        await http()
          .get(`/api/topics/${lineage.kafka!.topic}/messages`)
          .query({ partition, offset, direction: 'forward', limit: 1 })
          .expect(200)
      ).body,
    );
    const raw = browsed.items[0]!;
    expect([raw.partition, String(raw.offset)]).toEqual([partition, offset]);
    expect(raw.key?.data).toBe(sample[0]!.id); // the producer keys raw records by user id

    // each user lands on the partition kafkajs (and Java clients) place its key on, whoever produces it
    const { rawUsers } = app.get(AppConfig).kafka.topics;
    const admin = new Kafka({
      brokers: app.get(AppConfig).kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const partitions = (await admin.fetchTopicOffsets(rawUsers).finally(() => admin.disconnect())).length;
    const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    const place = Partitioners.DefaultPartitioner();
    for (const row of sample) {
      const message = { key: row.id, value: null };
      expect(stored.get(row.id)?.kafkaPartition).toBe(place({ topic: rawUsers, partitionMetadata, message }));
    }
  });

  it("a seed-format run writes the tutorial's records to the seed topic, with the run's headers", async () => {
    const config = app.get(AppConfig);
    const topic = config.kafka.topics.seedUsers;
    const kafka = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: uniqueName('seed-run-reader') });
    const seed = `int-seed-${Date.now()}`;
    const count = 300;
    try {
      await admin.connect();
      const before = await admin.fetchTopicOffsets(topic);
      const run = await startRun({
        source: 'synthetic',
        ratePerSecond: 50_000,
        batchSize: 100,
        maxRecords: count,
        seed,
        format: 'seed',
      });
      expect(run.params.format).toBe('seed');
      const done = await finished(run.id);
      expect(done).toMatchObject({ state: 'completed', error: null });
      // the processor counts seed records by their run header, as it counts raw ones
      expect(done.counters).toMatchObject({ fetched: count, produced: count, processed: count });

      const records: KafkaMessage[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          if (message.headers?.[RawUserHeaders.runId]?.toString() === run.id) {
            records.push(message);
          }
          return Promise.resolve();
        },
      });
      for (const { partition, offset } of before) {
        consumer.seek({ topic, partition, offset });
      }
      await waitFor(() => Promise.resolve(records.length >= count ? true : undefined), {
        timeoutMs: 30_000,
        what: `${count} records of run ${run.id} on ${topic}`,
      });

      const expected = (await new SyntheticSource({ seed }).next(count)).map(toSeedUser);
      const written = records.map((record) => SeedUser.parse(JSON.parse(record.value!.toString())));
      expect(written).toHaveLength(count);
      expect(new Map(written.map((user) => [user.id, user]))).toEqual(
        new Map(expected.map((user) => [user.id, SeedUser.parse(user)])),
      );
      for (const record of records) {
        expect(record.key).toBeNull();
        const header = (name: string) => record.headers?.[name]?.toString();
        expect(header(RawUserHeaders.source)).toBe('synthetic');
        expect(Date.parse(header(RawUserHeaders.fetchedAt) ?? '')).not.toBeNaN();
        expect(Date.parse(header(RawUserHeaders.ingestedAt) ?? '')).not.toBeNaN();
      }
    } finally {
      await consumer.disconnect();
      await admin.disconnect();
    }
  });

  it('refuses a run, or a schedule, that would write to a topic only the processors write', async () => {
    for (const topic of [intConfig().kafka.topics.processedUsers, intConfig().kafka.topics.deadLetters]) {
      const params = { source: 'synthetic', ratePerSecond: 10, batchSize: 10, maxRecords: 10, topic };
      const run = await http().post('/api/ingestion/runs').send(params).expect(400);
      expect(run.body).toMatchObject({ code: 'PIPELINE_TOPIC', details: [{ field: 'topic' }] });
      const schedule = { name: uniqueName('int-bad-topic'), cron: '0 0 * * *', params };
      await http().post('/api/ingestion/schedules').send(schedule).expect(400);
    }
  });

  it('a run stopped through the API stops producing within a second', async () => {
    const run = await startRun({ source: 'synthetic', ratePerSecond: 2_000, batchSize: 100 });
    await waitFor(async () => ((await getRun(run.id)).counters.produced > 0 ? true : undefined), {
      what: 'first records',
    });
    const stopped = Run.parse((await http().post(`/api/ingestion/runs/${run.id}/stop`).expect(200)).body);
    // from the moment the API answered: on a loaded machine the request itself can wait its turn
    const stopAt = Date.now();
    expect(stopped.state).toBe('stopped');
    const produced = stopped.counters.produced;
    await sleep(1_500);
    expect((await getRun(run.id)).counters.produced).toBe(produced);
    // no record of this run reached the raw topic later than a second after the stop request (producer
    // timestamps); other runs of the suite may still be producing, so their records are left aside
    const topic = intConfig().kafka.topics.rawUsers;
    const kafka = new Kafka({ brokers: intConfig().kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: uniqueName('int-stop-check') });
    await admin.connect();
    try {
      const later = await admin.fetchTopicOffsetsByTimestamp(topic, stopAt + 1_000);
      const ends = await admin.fetchTopicOffsets(topic);
      const remaining = new Map(
        later.map(({ partition, offset }) => [
          partition,
          BigInt(ends.find((end) => end.partition === partition)?.high ?? offset) - BigInt(offset),
        ]),
      );
      const lateOfThisRun: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic });
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          remaining.set(partition, (remaining.get(partition) ?? 1n) - 1n);
          // concurrent requests interleave in the log: judge each record by its own timestamp
          const late = Number(message.timestamp) >= stopAt + 1_000;
          if (late && message.headers?.[RawUserHeaders.runId]?.toString() === run.id) {
            lateOfThisRun.push(`${message.offset} at ${new Date(Number(message.timestamp)).toISOString()}`);
          }
          return Promise.resolve();
        },
      });
      for (const { partition, offset } of later) {
        consumer.seek({ topic, partition, offset });
      }
      await waitFor(
        () => Promise.resolve([...remaining.values()].every((left) => left <= 0n) ? true : undefined),
        { timeoutMs: 30_000, what: `the records of ${topic} after the stop` },
      );
      expect(lateOfThisRun).toEqual([]);
    } finally {
      await consumer.disconnect();
      await admin.disconnect();
    }
    await http().post(`/api/ingestion/runs/${run.id}/stop`).expect(409);
  });

  it('a run with durationSeconds stops by itself', async () => {
    const run = await startRun({
      source: 'synthetic',
      ratePerSecond: 500,
      batchSize: 50,
      durationSeconds: 2,
    });
    const done = await finished(run.id, 60_000);
    expect(done.state).toBe('completed');
    expect(done.counters.produced).toBeGreaterThan(0);
    expect(done.counters.produced).toBeLessThanOrEqual(500 * 2 + 100);
    expect(done.counters.stored).toBe(done.counters.produced);
  });

  it('rejects a bad body with a 400 that names each bad field, and unknown runs with 404', async () => {
    const res = await http()
      .post('/api/ingestion/runs')
      .send({ source: 'ftp', ratePerSecond: -1, batchSize: 10_000, nationalities: ['XX'], extra: true })
      .expect(400);
    const fields = (res.body.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(
      expect.arrayContaining(['source', 'ratePerSecond', 'batchSize', 'nationalities.0', '(root)']),
    );
    await http()
      .post('/api/ingestion/runs')
      .set('content-type', 'application/json')
      .send('{"source":')
      .expect(400);
    await http().get('/api/ingestion/runs/00000000-0000-4000-8000-000000000000').expect(404);
    await http().get('/api/ingestion/runs/not-a-uuid').expect(400);
    await http().get('/api/ingestion/runs?pageSize=100000').expect(400);
  });

  it('pages the run history, newest first', async () => {
    const page = RunList.parse((await http().get('/api/ingestion/runs?page=1&pageSize=2').expect(200)).body);
    expect(page.items.length).toBeLessThanOrEqual(2);
    expect(page.total).toBeGreaterThanOrEqual(3);
    const [first, second] = page.items;
    if (first && second) {
      expect(first.createdAt >= second.createdAt).toBe(true);
    }
  });

  it('a schedule fires runs linked to it, and can be disabled and deleted', async () => {
    const created = Schedule.parse(
      (
        await http()
          .post('/api/ingestion/schedules')
          .send({
            name: 'every two seconds',
            cron: '*/2 * * * * *',
            params: { source: 'synthetic', ratePerSecond: 1_000, batchSize: 10, maxRecords: 10 },
          })
          .expect(201)
      ).body,
    );
    expect(created.nextFireAt).not.toBeNull();
    const fired = await waitFor(
      async () => {
        const list = RunList.parse(
          (await http().get(`/api/ingestion/runs?scheduleId=${created.id}`).expect(200)).body,
        );
        return list.items[0];
      },
      { timeoutMs: 15_000, what: 'a scheduled run' },
    );
    expect(fired.scheduleId).toBe(created.id);
    const disabled = Schedule.parse(
      (await http().patch(`/api/ingestion/schedules/${created.id}`).send({ enabled: false }).expect(200))
        .body,
    );
    expect(disabled).toMatchObject({
      enabled: false,
      nextFireAt: null,
      cron: '*/2 * * * * *',
      timezone: 'UTC',
    });
    await finished(fired.id, 60_000);
    await http()
      .post('/api/ingestion/schedules')
      .send({ name: 'x', cron: 'every tuesday', params: {} })
      .expect(400);
    await http()
      .post('/api/ingestion/schedules')
      .send({
        name: 'x',
        cron: '99 * * * *',
        params: { source: 'synthetic', ratePerSecond: 1, batchSize: 1 },
      })
      .expect(400);
    await http().delete(`/api/ingestion/schedules/${created.id}`).expect(204);
    await http().get(`/api/ingestion/schedules/${created.id}`).expect(404);
  });
});
