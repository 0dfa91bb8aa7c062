import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { SEED_TABLE, type SeedUser } from '@userstream/contracts';
import { readDeadLetters } from '../../dead-letters.js';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { CreatedUsersRepository } from '#src/seed/created-users.repository.js';
import { SEED_COLUMNS, type SeedRow } from '#src/seed/seed-user.transform.js';
import { pythonJsonDumps, tutorialRecords } from '#src/seed/tutorial-records.js';
import { reachRing } from '#src/cassandra/cassandra.module.js';

const prefix = `${uniqueName('int-seed')}.`;
// a keyspace of this run's own: the test never reads or writes a real spark_streams
const seedKeyspace = `seed_int_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const config = intConfig({
  // the processor alone: it consumes the seed topic and owns the table
  APP_ROLE: 'processor',
  PROCESSOR_HTTP_PORT: '0',
  KAFKA_TOPIC_PREFIX: prefix,
  SEED_TOPIC: uniqueName('int-users_created'),
  SEED_KEYSPACE: seedKeyspace,
  PROCESSOR_GROUP_ID: `${prefix}processor`,
});
const N = 500;

/** Records the processor must dead-letter, each with the reason it should give. */
const BAD: { value: Buffer; reason: RegExp }[] = [
  { value: Buffer.from('not json at all'), reason: /not JSON/ },
  { value: Buffer.from('{"id": "6c1e3f0a-'), reason: /not JSON/ },
  { value: pythonJsonDumps({ first_name: 'No', last_name: 'Id' }), reason: /^no id$/ },
  { value: pythonJsonDumps({ id: 'not-a-uuid', first_name: 'Bad' }), reason: /id is not a UUID/ },
  { value: pythonJsonDumps({ id: 12345 }), reason: /id is not a UUID/ },
  {
    value: pythonJsonDumps({ id: randomUUID(), first_name: 7, last_name: 'Wrong' }),
    reason: /invalid seed user: first_name/,
  },
];

/** What the tutorial's Spark job would have stored for a record. */
const expectedRow = (record: SeedUser): SeedRow => ({
  id: record.id,
  first_name: record.first_name,
  last_name: record.last_name,
  gender: record.gender,
  address: record.address,
  post_code: String(record.post_code),
  email: record.email,
  username: record.username,
  registered_date: record.registered_date,
  phone: record.phone,
  picture: record.picture,
});

describe("seed compatibility: the tutorial's producer and table", () => {
  let app: INestApplication;
  const cassandra = new Client(reachRing(config.cassandra));

  beforeAll(async () => {
    app = await createApp(config);
    await app.init(); // creates the topics, and the seed table as a processor does
    await app.startAllMicroservices();
    await cassandra.connect();
  });

  afterAll(async () => {
    await app?.close();
    await cassandra.execute(`DROP KEYSPACE IF EXISTS ${seedKeyspace}`, [], { readTimeout: 120_000 });
    await cassandra.shutdown();
  });

  it('creates the keyspace and table exactly as the Spark job does', async () => {
    const keyspace = await cassandra.execute(
      'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [seedKeyspace],
      { prepare: true },
    );
    expect(keyspace.first()?.['replication']).toEqual({
      class: 'org.apache.cassandra.locator.SimpleStrategy',
      replication_factor: '1',
    });
    const columns = await cassandra.execute(
      'SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
      [seedKeyspace, SEED_TABLE],
      { prepare: true },
    );
    const shape = Object.fromEntries(
      columns.rows.map((row) => [
        String(row['column_name']),
        `${String(row['type'])} ${String(row['kind'])}`,
      ]),
    );
    expect(shape).toEqual(
      Object.fromEntries(
        SEED_COLUMNS.map((column) => [column, column === 'id' ? 'uuid partition_key' : 'text regular']),
      ),
    );
    // created again by a second processor start: IF NOT EXISTS leaves an existing table alone
    await expect(app.get(CreatedUsersRepository).ensureTable()).resolves.toBeUndefined();
  });

  it('stores what an outside producer sends, field by field, and dead-letters the rest with reasons', async () => {
    const records = await tutorialRecords(uniqueName('seed-int'), 0, N);
    // a string post code, a missing dob and an upper-case id: all stored as the tutorial would
    records[0] = { ...records[0]!, post_code: 'EC1A 1BB' };
    delete records[1]!.dob;
    records[2] = { ...records[2]!, id: records[2]!.id.toUpperCase() };
    const kafka = new Kafka({
      clientId: 'int-seed',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    // as the tutorial's kafka-python producer: plain sends, no key, no headers
    const producer = kafka.producer();
    await producer.connect();
    const reader = await readDeadLetters(kafka, config.kafka.topics.deadLetters);
    const { letters } = reader;
    try {
      const values = records.map((record) => pythonJsonDumps(record));
      // the bad records among the good ones, as a broken producer would interleave them
      BAD.forEach((bad, i) => values.splice(i * 80 + 40, 0, bad.value));
      for (let i = 0; i < values.length; i += 100) {
        await producer.send({
          topic: config.kafka.topics.seedUsers,
          messages: values.slice(i, i + 100).map((value) => ({ value })),
        });
      }
      await waitFor(() => Promise.resolve(letters.length >= BAD.length ? true : undefined), {
        timeoutMs: 90_000,
        what: `${BAD.length} dead letters`,
      });
    } finally {
      await reader.close();
      await producer.disconnect();
    }

    expect(letters).toHaveLength(BAD.length);
    for (const letter of letters) {
      expect(letter).toMatchObject({ topic: config.kafka.topics.seedUsers, key: null });
      const value = Buffer.from(letter.value ?? '', 'base64');
      const bad = BAD.find((candidate) => candidate.value.equals(value));
      expect(bad).toBeDefined();
      expect(letter.reason).toMatch(bad!.reason);
    }

    const createdUsers = app.get(CreatedUsersRepository);
    await waitFor(async () => ((await createdUsers.count()) >= N ? true : undefined), {
      timeoutMs: 90_000,
      what: `${N} rows in ${seedKeyspace}.${SEED_TABLE}`,
    });
    expect(await createdUsers.count()).toBe(N);
    const stored = await Promise.all(records.map((record) => createdUsers.findById(record.id)));
    stored.forEach((row, i) => {
      const expected = expectedRow(records[i]!);
      expect(row).toEqual({ ...expected, id: expected.id.toLowerCase() });
    });
    expect(stored[0]?.post_code).toBe('EC1A 1BB');

    // seed users go to the tutorial's table only, never to the product's users
    expect(
      await app.get(UsersRepository).findByIds(records.map((record) => record.id.toLowerCase())),
    ).toEqual([]);
  });
});
