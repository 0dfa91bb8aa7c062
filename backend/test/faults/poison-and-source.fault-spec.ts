import type { INestApplication } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { type RawUser, RawUserHeaders } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { AppConfig } from '#src/config/app-config.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { fixtureUsers } from '../fixtures/randomuser/index.js';
import { readDeadLetters } from '../dead-letters.js';
import { intConfig } from '../int-env.js';
import { waitFor } from '../processes.js';
import { type RandomUserServer, startRandomUserServer } from '../randomuser-server.js';
import { reconcileSynthetic, recordRow, suiteKafka } from './harness.js';
import { runsApi } from '../runs-api.js';

/** A valid synthetic user with one field changed: it passes JSON parsing and the schema, but not the store. */
const storeBreaking = (user: RawUser, patch: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ ...user, ...patch }));

/** 1% of 20,000: every kind of record the processor must refuse without stopping. */
function poisonValues(base: RawUser): { topic: 'raw' | 'seed'; value: Buffer }[] {
  const name = base.name!;
  const kinds: [count: number, topic: 'raw' | 'seed', value: () => Buffer][] = [
    [40, 'raw', () => Buffer.from('{"name": {"first": "Ann"')], // bad JSON
    [40, 'raw', () => Buffer.from('{"name": {"first": 1, "last": true}, "email": 42}')], // wrong types
    [40, 'raw', () => Buffer.from('{"gender": "female", "location": {}}')], // no name, nothing to identify
    [40, 'raw', () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])], // invalid UTF-8
    [4, 'raw', () => Buffer.from(`{"pad":"${'x'.repeat(1_000_000)}"}`)], // 1 MB
    // values outside their column's range: an age over Cassandra's int
    [10, 'raw', () => storeBreaking(base, { dob: { date: '1990-01-01T00:00:00.000Z', age: 3_000_000_000 } })],
    // an index term over Cassandra's limit
    [10, 'raw', () => storeBreaking(base, { name: { ...name, first: 'A'.repeat(9_000) } })],
    // wrong shapes in nested fields
    [10, 'raw', () => storeBreaking(base, { location: { coordinates: [1, 2] } })],
    [10, 'raw', () => storeBreaking(base, { dob: { date: { year: 1990 } } })],
    // seed-format records on the tutorial's topic with no usable id
    [10, 'seed', () => Buffer.from(JSON.stringify({ ...seedUser(), id: 'not-a-uuid' }))],
    [10, 'seed', () => Buffer.from(JSON.stringify({ ...seedUser(), id: undefined }))],
    [6, 'seed', () => Buffer.from('users_created but not JSON')],
  ];
  return kinds.flatMap(([count, topic, value]) =>
    Array.from({ length: count }, () => ({ topic, value: value() })),
  );
}

const seedUser = () => ({
  id: '6f1c2a0e-8b1d-4b7e-9a41-3f1e2d4c5b6a',
  first_name: 'Ann',
  last_name: 'Lee',
  gender: 'female',
  address: '1 Main St, Springfield, IL, United States',
  post_code: 62701,
  email: 'ann.lee@example.com',
  username: 'annlee',
  registered_date: '2015-04-01T10:00:00.000Z',
  phone: '555-0100',
  picture: 'https://randomuser.me/api/portraits/med/women/1.jpg',
});

describe('faults: poison records and a failing source', () => {
  let app: INestApplication;
  let server: RandomUserServer;

  beforeAll(async () => {
    server = await startRandomUserServer();
    app = await createApp(intConfig({ APP_ROLE: 'all', RANDOMUSER_BASE_URL: server.url }));
    await app.init();
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('dead-letters 1% poison mixed into a run, with reasons, and stores every good user once', async () => {
    const config = app.get(AppConfig);
    const kafka = suiteKafka(config.kafka.brokers);
    const producer = kafka.producer();
    await producer.connect();
    const runs = runsApi(app);
    const seed = `fault-poison-${Date.now()}`;
    const total = 20_000;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 4_000,
      batchSize: 500,
      maxRecords: total,
      seed,
    });

    await runs.reaches(run.id, ({ counters }) => counters.produced >= 2_000);
    const headers = { [RawUserHeaders.runId]: run.id, [RawUserHeaders.source]: 'synthetic' };
    const [base] = await new SyntheticSource({ seed: `${seed}-poison-base` }).next(1);
    const poisonRecords = poisonValues(base as RawUser);
    const poison: Message[] = poisonRecords.map(({ value }, i) => ({ key: `poison-${i}`, value, headers }));
    // one request per record: two 1 MB records would not fit in one
    for (const [i, message] of poison.entries()) {
      const topic =
        poisonRecords[i]!.topic === 'seed' ? config.kafka.topics.seedUsers : config.kafka.topics.rawUsers;
      await producer.send({ topic, messages: [message] });
    }
    await producer.disconnect();

    const done = await runs.finished(run.id);
    const counts = await reconcileSynthetic(app, done, seed);

    const reader = await readDeadLetters(
      kafka,
      config.kafka.topics.deadLetters,
      (letter) => letter.runId === run.id && letter.key !== null,
    );
    const byKey = () => new Map(reader.letters.map((letter) => [letter.key!, letter]));
    await waitFor(() => Promise.resolve(byKey().size >= poison.length ? true : undefined), {
      timeoutMs: 60_000,
      what: 'every dead letter of the run',
    });
    await reader.close();
    const letters = byKey();

    recordRow({
      fault: '1% poison records',
      ...counts,
      deadLettered: letters.size,
      recoverySeconds: null,
      outcome: done.state,
    });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(counts).toEqual({ produced: total, stored: total, duplicated: 0, lost: 0, unindexed: 0 });
    // the poison is not part of what the run produced, so the run may complete before its last letters are
    // counted: they must all be counted soon after
    const counted = await runs.reaches(run.id, ({ counters }) => counters.deadLettered >= poison.length);
    expect(counted.counters).toMatchObject({ stored: total, deadLettered: poison.length });
    expect([...letters.keys()].sort()).toEqual(poison.map((message) => String(message.key)).sort());
    for (const letter of letters.values()) {
      expect(letter.reason).toMatch(/\w{2,}/);
    }
    const huge = [...letters.values()].filter((letter) => letter.valueBytes > 1_000_000);
    expect(huge).toHaveLength(4);
    for (const letter of huge) {
      expect(letter).toMatchObject({ valueTruncated: true });
    }
    expect(
      new Set([...letters.values()].map((letter) => letter.reason.split(':')[0])).size,
    ).toBeGreaterThanOrEqual(6);
    const reasons = [...letters.values()].map((letter) => letter.reason).join('\n');
    expect(reasons).toMatch(/age: 3000000000 does not fit a Cassandra int/);
    expect(reasons).toMatch(/firstName: 9000 bytes exceed/);
    expect(reasons).toMatch(/coordinates/);
    expect(reasons).toMatch(/id/);
    // nothing stalled: the processor group committed the end of every partition it was given
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of [config.kafka.topics.rawUsers, config.kafka.topics.seedUsers]) {
      const ends = await admin.fetchTopicOffsets(topic);
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({
            groupId: config.kafka.processorGroupId,
            topics: [topic],
          });
          const behind = ends.filter(
            ({ partition, high }) =>
              Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1) <
              Number(high),
          );
          return behind.length === 0 ? true : undefined;
        },
        { timeoutMs: 30_000, what: `every partition of ${topic} committed to its end` },
      );
    }
    await admin.disconnect();
  });

  it('retries 429, 500s, a timeout, truncated JSON and an HTML page, then stores exactly what the source sent', async () => {
    const pages = ['v1.1.json', 'v1.2.json', 'v1.3.json', 'v1.4.json'] as const;
    const perPage = 4;
    server.setScript([
      { status: 429, headers: { 'retry-after': '1' }, body: { error: 'Whoa, ease up there cowboy.' } },
      { status: 500, raw: 'Internal Server Error' },
      { fixture: pages[0] },
      { delayMs: 11_000 }, // longer than the source's 10 s timeout
      { fixture: pages[1] },
      { fixture: 'truncated.json' },
      { fixture: pages[2] },
      { fixture: 'garbage.html' },
      { fixture: pages[3] },
    ]);
    const runs = runsApi(app);
    const started = Date.now();
    const run = await runs.start({
      source: 'randomuser',
      ratePerSecond: 100,
      batchSize: perPage,
      maxRecords: 16,
    });
    const done = await runs.finished(run.id);
    const expected = new Set(
      pages.flatMap((page) =>
        fixtureUsers(page)
          .slice(0, perPage)
          .map((user) => deriveUserId(user as RawUser)),
      ),
    );
    const ids = await app.get(UsersRepository).idsByRun(run.id);
    recordRow({
      fault: 'source: 429, 500, timeout, truncated, HTML',
      produced: done.counters.produced,
      stored: ids.length,
      duplicated: ids.length - new Set(ids).size + ids.filter((id) => !expected.has(id)).length,
      lost: [...expected].filter((id) => !ids.includes(id)).length,
      deadLettered: done.counters.deadLettered,
      recoverySeconds: (Date.now() - started) / 1000,
      outcome: `${done.state} after ${done.errors.length} retries`,
    });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.errors.length).toBeGreaterThanOrEqual(5);
    expect(new Set(ids)).toEqual(expected);

    // a source that only ever answers an error page: a clear error, nothing stored
    server.setScript(Array.from({ length: 10 }, () => ({ fixture: 'garbage.html' as const })));
    const broken = await runs.finished(
      (await runs.start({ source: 'randomuser', ratePerSecond: 100, batchSize: 4, maxRecords: 8 })).id,
    );
    const brokenIds = await app.get(UsersRepository).idsByRun(broken.id);
    recordRow({
      fault: 'source: HTML error page only',
      produced: broken.counters.produced,
      stored: brokenIds.length,
      duplicated: 0,
      lost: 0,
      deadLettered: broken.counters.deadLettered,
      recoverySeconds: null,
      outcome: `${broken.state}: ${broken.error?.slice(0, 60)}`,
    });
    expect(broken.state).toBe('failed');
    expect(broken.error).toMatch(/not JSON/);
    expect(broken.counters.produced).toBe(0);
    expect(brokenIds).toEqual([]);
  });
});
