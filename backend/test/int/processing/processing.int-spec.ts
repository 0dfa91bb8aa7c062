import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { DEAD_LETTER_VALUE_MAX, type RawUser, RawUserHeaders } from '@userstream/contracts';
import { readDeadLetters } from '../../dead-letters.js';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { ProcessingService } from '#src/processing/processing.service.js';
import type { RecordStream } from '#src/processing/record-stream.js';
import type { UserRow } from '#src/users/user-row.js';
import { UsersStream } from '#src/processing/users.stream.js';

const config = intConfig();

/** 100 records the processor must refuse, each for a different reason. */
function malformed(i: number): Buffer {
  const kinds = [
    () => Buffer.from('{"name": {"first": "Ann"'), // truncated JSON
    () => Buffer.from('not json at all'),
    () => Buffer.from(JSON.stringify({ name: { first: 42, last: true } })), // wrong types
    () => Buffer.from(JSON.stringify({ email: 'nobody@example.com' })), // no name
    () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // invalid UTF-8
    () => Buffer.from(JSON.stringify({ name: { first: 'A', last: 'B' }, dob: { date: 'not a date' } })),
    () => Buffer.from('[1, 2, 3]'),
    () => Buffer.from('null'),
    () => Buffer.alloc(600 * 1024, 0x61), // oversized
    () => Buffer.from(''),
  ];
  return kinds[i % kinds.length]!();
}

describe('processor: validation and dead letters', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(config);
    await app.init(); // creates the topics the processor subscribes to
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends 100 malformed records to the dead-letter topic with reasons, and stores the valid ones around them', async () => {
    const runId = randomUUID();
    const headers = { [RawUserHeaders.runId]: runId, [RawUserHeaders.source]: 'test' };
    const valid = await new SyntheticSource({ seed: uniqueName('dlq') }).next(100);
    const messages: Message[] = [];
    for (let i = 0; i < 100; i++) {
      messages.push({ key: `bad-${runId}-${i}`, value: malformed(i), headers });
      const user = valid[i]!;
      messages.push({ key: deriveUserId(user as RawUser), value: JSON.stringify(user), headers });
    }
    const kafka = new Kafka({
      clientId: 'int-dlq',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const reader = await readDeadLetters(
      kafka,
      config.kafka.topics.deadLetters,
      (letter) => letter.runId === runId,
    );
    const { letters } = reader;
    try {
      // small batches: one oversized value per request stays under the broker's request limit
      for (let i = 0; i < messages.length; i += 4) {
        await producer.send({
          topic: config.kafka.topics.rawUsers,
          acks: -1,
          messages: messages.slice(i, i + 4),
        });
      }
      await waitFor(() => Promise.resolve(letters.length >= 100 ? true : undefined), {
        timeoutMs: 60_000,
        what: '100 dead letters',
      });
    } finally {
      await reader.close();
      await producer.disconnect();
    }

    expect(letters).toHaveLength(100);
    for (const letter of letters) {
      expect(letter.reason).toMatch(/\w/);
      expect(letter.topic).toBe(config.kafka.topics.rawUsers);
      expect(Number(letter.offset)).toBeGreaterThanOrEqual(0);
      const i = Number(letter.key?.split('-').pop());
      // the value byte for byte, cut to what a dead letter carries
      const original = malformed(i);
      expect(
        Buffer.from(letter.value ?? '', 'base64').equals(original.subarray(0, DEAD_LETTER_VALUE_MAX)),
      ).toBe(true);
      expect(letter).toMatchObject({
        valueBytes: original.length,
        valueTruncated: original.length > DEAD_LETTER_VALUE_MAX,
      });
    }
    const reasons = letters.map((letter) => letter.reason).join('\n');
    expect(reasons).toMatch(/not JSON/);
    expect(reasons).toMatch(/UTF-8/);
    expect(reasons).toMatch(/exceeds/);
    expect(reasons).toMatch(/name/);

    const users = app.get(UsersRepository);
    const ids = await waitFor(
      async () => {
        const stored = await users.idsByRun(runId);
        return stored.length >= 100 ? stored : undefined;
      },
      { what: 'the 100 valid users' },
    );
    expect(new Set(ids)).toEqual(new Set(valid.map((user) => deriveUserId(user as RawUser))));
  });

  it('dead-letters a row Cassandra itself refuses (no check caught it) and stores the rest of its batch', async () => {
    const users = app.get(UsersStream);
    // the real stream without its pre-write check, so the refusal comes from the driver and Cassandra: the
    // unlogged batch holding the bad row fails as a whole, and its rows go again one by one
    const unchecked: RecordStream<UserRow> = {
      name: 'users',
      decode: (message, position, now) => users.decode(message, position, now),
      refusal: () => null,
      write: (row) => users.write(row),
      writeBatch: (rows) => users.writeBatch(rows),
    };
    const runId = randomUUID();
    const source = await new SyntheticSource({ seed: uniqueName('unchecked') }).next(20);
    const bad = 7;
    const messages = source.map((user, i) => ({
      key: Buffer.from(`unchecked-${runId}-${i}`),
      value: Buffer.from(
        JSON.stringify(
          i === bad
            ? { ...(user as object), dob: { date: '1990-01-01T00:00:00.000Z', age: 3_000_000_000 } }
            : user,
        ),
      ),
      headers: { [RawUserHeaders.runId]: runId },
      offset: String(i),
      timestamp: String(Date.now()),
      attributes: 0,
    }));
    const kafka = new Kafka({
      clientId: 'int-unchecked',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const reader = await readDeadLetters(
      kafka,
      config.kafka.topics.deadLetters,
      (letter) => letter.runId === runId,
    );
    const { letters } = reader;
    try {
      const receipt = app.get(ProcessingService).accept(
        {
          topic: 'int-unchecked',
          partition: 0,
          messages,
          pause: () => () => undefined,
          isRunning: () => true,
          isOwned: () => true,
        },
        unchecked,
      );
      await Promise.all(receipt);
      await waitFor(() => Promise.resolve(letters.length >= 1 ? true : undefined), {
        what: 'the dead letter',
      });
    } finally {
      await reader.close();
    }
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ key: `unchecked-${runId}-${bad}`, offset: String(bad) });
    expect(letters[0]!.reason).toMatch(/^the store refused the record: .*range/i);
    const stored = await app.get(UsersRepository).idsByRun(runId);
    expect(new Set(stored)).toEqual(
      new Set(source.filter((_, i) => i !== bad).map((user) => deriveUserId(user as RawUser))),
    );
  });
});
