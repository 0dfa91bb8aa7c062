import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { errors, types } from 'cassandra-driver';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  ApiError,
  AuditList,
  CreatedToken,
  DeadLetterRecordPage,
  DeadLetterSummary,
  type RawUser,
  RawUserHeaders,
  RedriveHeaders,
  RedriveList,
  RedriveResult,
} from '@userstream/contracts';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { AuditService } from '#src/audit/audit.service.js';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { ProcessingService } from '#src/processing/processing.service.js';
import type { RecordStream } from '#src/processing/record-stream.js';
import type { UserRow } from '#src/users/user-row.js';
import { UsersStream } from '#src/processing/users.stream.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';

const ADMIN_TOKEN = `int-admin-${randomBytes(24).toString('hex')}`;
const config = intConfig({ AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN });
const dlq = config.kafka.topics.deadLetters;

/**
 * Dead letters as a workflow, on the real pipeline: records the processor refused are indexed and grouped,
 * shown masked to viewers, and redriven once each by an admin; the redriven good records are stored.
 */
describe('dead letters: grouped, shown, redriven once (Kafka, processor, Cassandra, PostgreSQL)', () => {
  let app: INestApplication;
  let kafka: Kafka;
  let viewer: CreatedToken;
  const runId = randomUUID();
  const http = () => request(app.getHttpServer());
  const get = (path: string, token = ADMIN_TOKEN) => http().get(path).set('authorization', `Bearer ${token}`);
  const redrive = (body: object, token = ADMIN_TOKEN) =>
    http().post('/api/dead-letters/redrive').set('authorization', `Bearer ${token}`).send(body);
  const records = async (query: string, token = ADMIN_TOKEN) =>
    DeadLetterRecordPage.parse((await get(`/api/dead-letters/records?${query}`, token).expect(200)).body);
  const groupsOfRun = async () =>
    DeadLetterSummary.parse((await get('/api/dead-letters').expect(200)).body).groups.filter(
      (group) => group.runId === runId,
    );
  let good: RawUser[];

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    await app.startAllMicroservices();
    kafka = new Kafka({
      clientId: 'int-dead-letters',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    viewer = CreatedToken.parse(
      (
        await http()
          .post('/api/auth/tokens')
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .send({ name: uniqueName('int-dlq-viewer'), role: 'viewer' })
          .expect(201)
      ).body,
    );

    const headers = { [RawUserHeaders.runId]: runId, [RawUserHeaders.source]: 'test' };
    // three records no redrive can fix, through the real processor
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic: config.kafka.topics.rawUsers,
      acks: -1,
      messages: [0, 1, 2].map((i) => ({ key: `bad-${runId}-${i}`, value: `not json ${i}`, headers })),
    });
    await producer.disconnect();

    // three good users dead-lettered while the store refused them (a constraint since lifted)
    good = (await new SyntheticSource({ seed: uniqueName('dlq-good') }).next(3)) as RawUser[];
    const users = app.get(UsersStream);
    const refusing: RecordStream<UserRow> = {
      name: 'users',
      decode: (message, position, now) => users.decode(message, position, now),
      refusal: () => null,
      write: () => Promise.reject(new errors.ResponseError(types.responseErrorCodes.invalid, 'constraint x')),
    };
    const messages = good.map((user, i) => ({
      key: Buffer.from(deriveUserId(user)),
      value: Buffer.from(JSON.stringify(user)),
      headers: { [RawUserHeaders.runId]: Buffer.from(runId) },
      offset: String(1_000_000 + i),
      timestamp: String(Date.now()),
      attributes: 0,
    }));
    const receipt = app.get(ProcessingService).accept(
      {
        topic: config.kafka.topics.rawUsers,
        partition: 0,
        messages,
        pause: () => () => undefined,
        isRunning: () => true,
        isOwned: () => true,
      },
      refusing,
    );
    await Promise.all(receipt);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('groups the letters of a run by reason kind, with counts and an example', async () => {
    const groups = await waitFor(
      async () => {
        const found = await groupsOfRun();
        const total = found.reduce((sum, group) => sum + group.count, 0);
        return total >= 6 ? found : undefined;
      },
      // the indexer's first join may wait out a member an earlier app left in its group (up to Kafka's 60 s
      // rebalance timeout) before it reads the topic
      { timeoutMs: 150_000, intervalMs: 500, what: 'six indexed dead letters of the run' },
    );
    expect(
      groups.map(({ kind, count }) => ({ kind, count })).sort((a, b) => a.kind.localeCompare(b.kind)),
    ).toEqual([
      { kind: 'not_json', count: 3 },
      { kind: 'store_refused', count: 3 },
    ]);
    const refused = groups.find((group) => group.kind === 'store_refused')!;
    expect(refused.example).toMatch(/^the store refused the record: constraint x/);
    expect(Date.parse(refused.firstSeen)).toBeLessThanOrEqual(Date.parse(refused.lastSeen));
  });

  it('shows the original bytes: JSON masked to a viewer, other text hidden; unmasked to an admin who asks', async () => {
    const masked = await records(`reason=store_refused&runId=${runId}`, viewer.token);
    expect(masked.masked).toBe(true);
    expect(masked.items).toHaveLength(3);
    for (const item of masked.items) {
      expect(item.original?.encoding).toBe('json');
      const user = item.original?.data as { email: string; name: { first: string } };
      expect(user.email).toBe('***');
      expect(good.map((u) => (u as { name: { first: string } }).name.first)).toContain(user.name.first);
      expect(item.source.topic).toBe(config.kafka.topics.rawUsers);
    }

    const hidden = await records(`reason=not_json&runId=${runId}`, viewer.token);
    expect(hidden.items.map((item) => [item.original, item.originalHidden])).toEqual([
      [null, true],
      [null, true],
      [null, true],
    ]);
    const refused = await get(`/api/dead-letters/records?reason=not_json&unmasked=true`, viewer.token).expect(
      403,
    );
    expect(ApiError.parse(refused.body).code).toBe('AUTH_FORBIDDEN');

    const shown = await records(`reason=not_json&runId=${runId}&unmasked=true`);
    expect(shown.masked).toBe(false);
    expect(shown.items.map((item) => item.original?.data).sort()).toEqual([
      'not json 0',
      'not json 1',
      'not json 2',
    ]);

    // pages: newest first, a cursor to go on, nothing twice
    const first = await records(`runId=${runId}&limit=4`);
    expect(first.items).toHaveLength(4);
    const second = await records(`runId=${runId}&limit=4&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(6);
  });

  it('redrives only for an admin: a viewer gets 403, dry run included, and the refusal is audited', async () => {
    const res = await redrive({ reason: 'store_refused', runId, dryRun: true }, viewer.token).expect(403);
    expect(ApiError.parse(res.body).code).toBe('AUTH_FORBIDDEN');
  });

  it('redrives all letters of a reason once: the good users are stored, a second redrive produces nothing', async () => {
    const dry = RedriveResult.parse(
      (await redrive({ reason: 'store_refused', runId, dryRun: true }).expect(200)).body,
    );
    expect(dry).toMatchObject({
      id: null,
      dryRun: true,
      matched: 3,
      redriven: 3,
      alreadyRedriven: 0,
      more: false,
    });

    // two redrives at once: the ledger lets each letter go to one of them
    const [a, b] = await Promise.all([
      redrive({ reason: 'store_refused', runId }).expect(200),
      redrive({ reason: 'store_refused', runId }).expect(200),
    ]);
    const results = [RedriveResult.parse(a.body), RedriveResult.parse(b.body)];
    expect(results[0]!.redriven + results[1]!.redriven).toBe(3);
    const again = RedriveResult.parse((await redrive({ reason: 'store_refused', runId }).expect(200)).body);
    expect(again).toMatchObject({ matched: 3, redriven: 0, alreadyRedriven: 3 });
    const page = await records(`reason=store_refused&runId=${runId}`);
    const byIds = RedriveResult.parse(
      (await redrive({ ids: page.items.map((item) => item.id) }).expect(200)).body,
    );
    expect(byIds).toMatchObject({ matched: 3, redriven: 0, alreadyRedriven: 3, unknown: 0 });

    // the processor stores what was redriven
    const ids = await waitFor(
      async () => {
        const stored = await app.get(UsersRepository).idsByRun(runId);
        return stored.length >= 3 ? stored : undefined;
      },
      { timeoutMs: 60_000, what: 'the three redriven users stored' },
    );
    expect(new Set(ids)).toEqual(new Set(good.map((user) => deriveUserId(user))));

    // each letter reached the raw topic exactly once, marked as a redrive
    const redriven = await readRedrives(kafka, config.kafka.topics.rawUsers, runId);
    expect(redriven.map((message) => headerOf(message, RedriveHeaders.of)).sort()).toEqual(
      page.items.map((item) => `${dlq}/${item.id.replace(':', '/')}`).sort(),
    );

    const after = await records(`reason=store_refused&runId=${runId}`);
    expect(after.items.every((item) => item.redrive?.state === 'produced')).toBe(true);
    const list = RedriveList.parse((await get('/api/dead-letters/redrives').expect(200)).body);
    const winner = results.find((result) => result.redriven > 0)!;
    expect(list.items).toContainEqual(
      expect.objectContaining({
        id: winner.id,
        actor: expect.any(String),
        produced: winner.redriven,
        pending: 0,
      }),
    );

    await app.get(AuditService).flush();
    const audit = AuditList.parse(
      (await get('/api/audit?method=POST&pageSize=100').expect(200)).body,
    ).items.filter((entry) => entry.route === '/api/dead-letters/redrive');
    expect(audit).toContainEqual(
      expect.objectContaining({
        role: 'admin',
        statusCode: 200,
        success: true,
        target: expect.objectContaining({
          body: expect.objectContaining({ reason: 'store_refused', runId }),
        }),
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ role: 'viewer', statusCode: 403, success: false }),
    );
  });

  it('a letter whose redrive fails again comes back marked as a redrive of it', async () => {
    const [letter] = (await records(`reason=not_json&runId=${runId}&limit=1`)).items;
    const result = RedriveResult.parse((await redrive({ ids: [letter!.id] }).expect(200)).body);
    expect(result.redriven).toBe(1);
    const of = `${dlq}/${letter!.id.replace(':', '/')}`;
    const back = await waitFor(
      async () =>
        (await records(`reason=not_json&runId=${runId}`)).items.find((item) => item.redriveOf === of),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the redriven record dead-lettered again' },
    );
    expect(back.reason).toBe(letter!.reason);
    // redriving the whole reason leaves it out: unchanged, it would only fail again
    const all = RedriveResult.parse(
      (await redrive({ reason: 'not_json', runId, dryRun: true }).expect(200)).body,
    );
    expect(all).toMatchObject({ matched: 4, skippedFailedAgain: 1, alreadyRedriven: 1, redriven: 2 });
  });

  it('a claim left pending by a backend that stopped before recording is taken over once it goes stale', async () => {
    const [letter] = (await records(`reason=not_json&runId=${runId}`)).items.filter(
      (item) => item.redrive === null && item.redriveOf === null,
    );
    const [partition, offset] = letter!.id.split(':');
    const db = app.get<DataSource>(getDataSourceToken());
    // what a crash between producing and confirming leaves behind
    await db.query(
      `INSERT INTO dead_letter_redrives (dlq_topic, dlq_partition, dlq_offset, redrive_id, actor, state, target_topic)
       VALUES ($1, $2, $3, $4, 'crashed', 'pending', $5)`,
      [dlq, partition, offset, randomUUID(), config.kafka.topics.rawUsers],
    );
    const held = RedriveResult.parse((await redrive({ ids: [letter!.id] }).expect(200)).body);
    expect(held).toMatchObject({ redriven: 0, alreadyRedriven: 1 });
    await db.query(
      `UPDATE dead_letter_redrives SET claimed_at = now() - interval '1 hour'
        WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3`,
      [dlq, partition, offset],
    );
    const taken = RedriveResult.parse((await redrive({ ids: [letter!.id] }).expect(200)).body);
    expect(taken).toMatchObject({ redriven: 1, alreadyRedriven: 0 });
    const [row] = (await records(`reason=not_json&runId=${runId}`)).items.filter(
      (item) => item.id === letter!.id,
    );
    expect(row?.redrive).toMatchObject({ id: taken.id, state: 'produced' });
  });

  it('answers bad input with a 4xx and its code', async () => {
    const cases: [string, () => request.Test, number, string][] = [
      ['ids and reason', () => redrive({ ids: ['0:1'], reason: 'not_json' }), 400, 'VALIDATION_FAILED'],
      ['neither', () => redrive({ dryRun: true }), 400, 'VALIDATION_FAILED'],
      ['runId without reason', () => redrive({ ids: ['0:1'], runId }), 400, 'VALIDATION_FAILED'],
      ['bad id', () => redrive({ ids: ['zero'] }), 400, 'VALIDATION_FAILED'],
      ['unknown reason', () => redrive({ reason: 'gremlins' }), 400, 'VALIDATION_FAILED'],
      ['unknown field', () => redrive({ reason: 'not_json', all: true }), 400, 'VALIDATION_FAILED'],
      ['bad cursor', () => get('/api/dead-letters/records?cursor=abc'), 400, 'INVALID_CURSOR'],
      ['bad limit', () => get('/api/dead-letters/records?limit=0'), 400, 'VALIDATION_FAILED'],
      ['bad run', () => get('/api/dead-letters/records?runId=%27%3B'), 400, 'VALIDATION_FAILED'],
      ['unknown query', () => get('/api/dead-letters/records?sort=up'), 400, 'VALIDATION_FAILED'],
    ];
    for (const [what, send, status, code] of cases) {
      const res = await send();
      expect({ what, status: res.status, code: (res.body as { code?: string }).code }).toEqual({
        what,
        status,
        code,
      });
    }
    const unknown = RedriveResult.parse(
      (await redrive({ ids: ['0:999999999999'], dryRun: true }).expect(200)).body,
    );
    expect(unknown).toMatchObject({ matched: 0, unknown: 1, redriven: 0 });
  });
});

const headerOf = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString() ?? null;

/** The redriven records of a run on `topic`, read up to the topic's current end (so a duplicate would be seen). */
async function readRedrives(kafka: Kafka, topic: string, runId: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const seen = new Map<number, bigint>();
  const found: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('int-dlq-redrives') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        seen.set(partition, BigInt(message.offset));
        const redrive = headerOf(message, RedriveHeaders.redriveId) !== null;
        if (redrive && headerOf(message, RawUserHeaders.runId) === runId) {
          found.push(message);
        }
        return Promise.resolve();
      },
    });
    await waitFor(
      () =>
        Promise.resolve(
          ends.every(
            ({ partition, high, low }) => high === low || (seen.get(partition) ?? -1n) >= BigInt(high) - 1n,
          )
            ? true
            : undefined,
        ),
      { timeoutMs: 60_000, what: `${topic} read to its end` },
    );
    return found;
  } finally {
    await consumer.disconnect();
  }
}
