import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import {
  ApiError,
  type ClientToServerEvents,
  CreatedToken,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  MessageSearchPage,
  type Role,
  type ServerToClientEvents,
  TailBatch,
  TailSubscribeResult,
} from '@userstream/contracts';
import { rawUser } from '../../raw-user.js';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { MASK } from '#src/common/personal-data.js';
import { TopicTailService } from '#src/live/topic-tail.service.js';

const ADMIN_TOKEN = `it-msgs-admin-${randomBytes(24).toString('hex')}`;
const config = intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN });
/** Under this run's topic prefix, unique per run; deleted afterwards. */
const prefix = `${process.env['KAFKA_TOPIC_PREFIX'] ?? ''}it-msgs-${randomBytes(4).toString('hex')}`;
const COUNTRIES = ['France', 'Spain', 'Chile'];
const COUNT = 60;

type Query = Record<string, string | number>;
type TailClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The messages the tests write: `i` is both the key's number and the order of production. */
const person = (i: number) => ({
  ...rawUser,
  email: `person${i}@example.com`,
  location: { ...rawUser.location, country: COUNTRIES[i % 3] },
  note: i % 10 === 0 ? 'needle, "quoted"' : 'hay',
  rank: i,
});

describe('message search, export and live tail (real Kafka)', () => {
  let app: NestExpressApplication;
  let url: string;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const tokens = {} as Record<Role, string>;
  const topic = `${prefix}.people`;
  const clients: TailClient[] = [];
  const http = () => request(app.getHttpServer());
  const as = (role: Role) => ({ authorization: `Bearer ${tokens[role]}` });

  const search = async (query: Query, role: Role = 'admin', name = topic) =>
    MessageSearchPage.parse(
      (await http().get(`/api/topics/${name}/messages/search`).query(query).set(as(role)).expect(200)).body,
    );
  const refused = async (path: string, query: Query, status: number, role: Role = 'admin') =>
    ApiError.parse((await http().get(path).query(query).set(as(role)).expect(status)).body);
  /** Every match of a search, following its cursors to the end; also the pages' sizes. */
  const searchAll = async (query: Query) => {
    const found: string[] = [];
    const pages: MessageSearchPage[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await search({ ...query, ...(cursor ? { cursor } : {}) });
      pages.push(page);
      found.push(...page.items.map((item) => `${item.partition}:${item.offset}`));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
    return { found, pages };
  };
  /** Where each produced message landed, by its number. */
  const positions = new Map<number, string>();
  const keysOf = (page: MessageSearchPage) =>
    page.items.map((item) => String(item.key?.data)).sort((a, b) => a.localeCompare(b));
  const where = (numbers: number[]) => numbers.map((i) => positions.get(i)).sort();

  beforeAll(async () => {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    tokens.admin = ADMIN_TOKEN;
    for (const role of ['viewer', 'operator'] as const) {
      const res = await http()
        .post('/api/auth/tokens')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ name: uniqueName(`it-msgs-${role}`), role })
        .expect(201);
      tokens[role] = CreatedToken.parse(res.body).token;
    }
    kafka = new Kafka({ clientId: 'it-msgs', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < COUNT; i++) {
      const [meta] = await producer.send({
        topic,
        messages: [
          {
            key: `key-${String(i).padStart(2, '0')}`,
            value: JSON.stringify(person(i)),
            headers: i % 4 === 0 ? { trace: i % 8 === 0 ? 'eight' : 'four' } : {},
          },
        ],
      });
      positions.set(i, `${meta!.partition}:${meta!.baseOffset ?? meta!.offset}`);
    }
  });

  afterAll(async () => {
    for (const client of clients) {
      client.disconnect();
    }
    await producer?.disconnect();
    if (admin) {
      const mine = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
      if (mine.length > 0) {
        await admin.deleteTopics({ topics: mine });
      }
      await admin.disconnect();
    }
    await app?.close();
  });

  const numbers = (keep: (i: number) => boolean) =>
    Array.from({ length: COUNT }, (_, i) => i).filter((i) => keep(i));

  it('finds messages by key, header, text and JSON field, every given filter applying', async () => {
    const byKey = await search({ key: 'KEY-1' });
    expect(keysOf(byKey)).toEqual(numbers((i) => i >= 10 && i < 20).map((i) => `key-${i}`));
    expect(keysOf(await search({ key: 'key-07', keyMatch: 'equals' }))).toEqual(['key-07']);
    expect(keysOf(await search({ key: 'key-7', keyMatch: 'equals' }))).toEqual([]);

    const header = await search({ header: 'trace' });
    expect(header.items.map((item) => `${item.partition}:${item.offset}`).sort()).toEqual(
      where(numbers((i) => i % 4 === 0)),
    );
    const headerValue = await search({ header: 'trace', headerValue: 'eight' });
    expect(headerValue.items).toHaveLength(numbers((i) => i % 8 === 0).length);

    const text = await search({ text: 'NEEDLE' });
    expect(text.items).toHaveLength(numbers((i) => i % 10 === 0).length);

    const field = await search({ field: 'location.country', fieldValue: 'Chile' });
    expect(field.items.map((item) => `${item.partition}:${item.offset}`).sort()).toEqual(
      where(numbers((i) => i % 3 === 2)),
    );
    expect((await search({ field: 'rank', fieldValue: '42' })).items).toHaveLength(1);

    const all = await search({
      field: 'location.country',
      fieldValue: 'Chile',
      text: 'needle',
      header: 'trace',
    });
    expect(all.items.map((item) => `${item.partition}:${item.offset}`).sort()).toEqual(
      where(numbers((i) => i % 3 === 2 && i % 10 === 0 && i % 4 === 0)),
    );
    expect(all).toMatchObject({ stoppedBy: 'end', nextCursor: null, scanned: COUNT, masked: true });
    expect(all.progress).toMatchObject({ covered: COUNT, total: COUNT });
  });

  it.each(['forward', 'newest'] as const)(
    'continues %s across calls with a small budget: every match once, none skipped',
    async (direction) => {
      const { found, pages } = await searchAll({ direction, budget: 7, maxMatches: 4, text: 'France' });
      expect(found).toHaveLength(new Set(found).size);
      expect([...found].sort()).toEqual(where(numbers((i) => i % 3 === 0)));
      expect(pages.length).toBeGreaterThan(5);
      for (const page of pages) {
        expect(page.scanned).toBeLessThanOrEqual(7);
        expect(page.items.length).toBeLessThanOrEqual(4);
      }
      const last = pages.at(-1)!;
      expect(last.stoppedBy).toBe('end');
      expect(last.progress.partitions.every((part) => part.done)).toBe(true);
      expect(pages[0]!.progress.covered).toBeLessThan(pages[0]!.progress.total);
    },
  );

  it('starts from an offset of one partition, and reports where each page stopped', async () => {
    const first = await search({ partition: 1, offset: 3, budget: 2 });
    expect(first.items.map((item) => [item.partition, item.offset])).toEqual([
      [1, 3],
      [1, 4],
    ]);
    expect(first.progress.partitions).toEqual([
      expect.objectContaining({ partition: 1, start: 3, position: 5 }),
    ]);
    expect(first.stoppedBy).toBe('budget');
    const next = await search({ partition: 1, offset: 3, budget: 2, cursor: first.nextCursor! });
    expect(next.items.map((item) => item.offset)).toEqual([5, 6]);
  });

  it('refuses bad filters, cursors, partitions and topics with a clear 4xx', async () => {
    const path = `/api/topics/${topic}/messages/search`;
    const page = await search({ text: 'France', budget: 5 });
    expect(page.nextCursor).not.toBeNull();
    const moved = await refused(path, { text: 'Spain', budget: 5, cursor: page.nextCursor! }, 400);
    expect(moved).toMatchObject({ code: 'INVALID_CURSOR', details: [{ field: 'cursor' }] });
    const tampered = `${page.nextCursor!.slice(0, -2)}${page.nextCursor!.endsWith('A') ? 'B' : 'A'}A`;
    expect((await refused(path, { text: 'France', cursor: tampered }, 400)).code).toBe('INVALID_CURSOR');
    expect((await refused(path, { text: 'France', cursor: 'x.y.z' }, 400)).code).toBe('INVALID_CURSOR');

    const invalid = await refused(path, { budget: 0, direction: 'up', color: 'red' }, 400);
    expect(invalid.code).toBe('VALIDATION_FAILED');
    const fields = (invalid.details as { field: string }[]).map((detail) => detail.field).sort();
    expect(fields).toEqual(['(root)', 'budget', 'direction']);
    const half = await refused(path, { fieldValue: 'x' }, 400);
    expect(half).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'field' }] });
    expect((await refused(path, { budget: 100_001 }, 400)).code).toBe('VALIDATION_FAILED');
    expect((await refused(path, { field: 'a..b', fieldValue: '1' }, 400)).code).toBe('VALIDATION_FAILED');
    expect((await refused(path, { partition: 9 }, 400)).code).toBe('UNKNOWN_PARTITION');
    expect((await refused(`/api/topics/${prefix}.none/messages/search`, {}, 404)).code).toBe(
      'TOPIC_NOT_FOUND',
    );
    expect((await refused(`/api/topics/bad%20name/messages/search`, {}, 400)).code).toBe(
      'INVALID_TOPIC_NAME',
    );
    const exportPath = `/api/topics/${topic}/messages/export`;
    expect((await refused(exportPath, { format: 'xml' }, 400)).code).toBe('VALIDATION_FAILED');
    expect((await refused(exportPath, { cursor: tampered }, 400)).code).toBe('INVALID_CURSOR');
  });

  it('masks personal data for a viewer and never lets one match or filter on it', async () => {
    const viewer = await search({ key: 'key-05', keyMatch: 'equals' }, 'viewer');
    const value = viewer.items[0]!.value!.data as { email: string; location: { country: string } };
    expect(viewer.masked).toBe(true);
    expect(value.email).toBe(MASK);
    expect(value.location.country).toBe('Chile');
    expect(JSON.stringify(viewer)).not.toContain('person5@');

    // an admin matches the data as stored (and is still shown it masked unless asking)
    expect((await search({ text: 'person5@example.com' }, 'admin')).items).toHaveLength(1);
    expect((await search({ text: 'person5@example.com' }, 'viewer')).items).toHaveLength(0);
    expect((await search({ text: 'person5@example.com' }, 'operator')).items).toHaveLength(0);
    const path = `/api/topics/${topic}/messages/search`;
    const field = await refused(path, { field: 'email', fieldValue: 'person5@example.com' }, 403, 'viewer');
    expect(field).toMatchObject({ code: 'AUTH_FORBIDDEN', details: [{ field: 'field' }] });
    const nested = await refused(path, { field: 'login.username', fieldValue: 'ada' }, 403, 'operator');
    expect(nested.code).toBe('AUTH_FORBIDDEN');
    expect((await refused(path, { unmasked: 'true' }, 403, 'viewer')).code).toBe('AUTH_FORBIDDEN');

    const unmasked = await search({ field: 'email', fieldValue: 'person5@example.com', unmasked: 'true' });
    expect(unmasked.masked).toBe(false);
    expect((unmasked.items[0]!.value!.data as { email: string }).email).toBe('person5@example.com');
  });

  it('exports the matches as JSON lines and as CSV, masked for a viewer', async () => {
    const exportPath = `/api/topics/${topic}/messages/export`;
    const jsonl = await http()
      .get(exportPath)
      .query({ format: 'jsonl', text: 'needle' })
      .set(as('viewer'))
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => done(null, body));
      })
      .expect(200);
    expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(jsonl.headers['content-disposition']).toBe(`attachment; filename="${topic}-messages.jsonl"`);
    const lines = (jsonl.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { offset: number; value: { data: { email: string } } });
    expect(lines).toHaveLength(numbers((i) => i % 10 === 0).length);
    expect(lines.every((line) => line.value.data.email === MASK)).toBe(true);

    const csv = await http()
      .get(exportPath)
      .query({ format: 'csv', text: 'needle', maxMatches: 4 })
      .set(as('admin'))
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => done(null, body));
      })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = (csv.body as string).split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('partition,offset,timestamp,key,headers,value');
    expect(rows).toHaveLength(5);
    // the value holds commas and quotes: one quoted field, quotes doubled
    expect(rows[1]).toMatch(/^\d+,\d+,[^,]+,key-\d0,.*,"\{.*""note"":""needle, \\""quoted\\"""".*\}"$/);
  });

  it('tails a topic: messages produced after the tail started arrive, masked; the consumer stops with the last watcher', async () => {
    const client: TailClient = io(`${url}${LIVE_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket'],
      reconnection: false,
      auth: { token: tokens.viewer },
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    const unknown = TailSubscribeResult.parse(
      await client.emitWithAck('tail:subscribe', { topic: `${prefix}.none` }),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'TOPIC_NOT_FOUND' } });
    const invalid = TailSubscribeResult.parse(
      await client.emitWithAck('tail:subscribe', { topic: 'no spaces' }),
    );
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_TOPIC' } });

    const batches: TailBatch[] = [];
    client.on('tail:messages', (batch) => batches.push(TailBatch.parse(batch)));
    const started = TailSubscribeResult.parse(await client.emitWithAck('tail:subscribe', { topic }));
    expect(started).toMatchObject({ ok: true, topic });
    expect(app.get(TopicTailService).tailedTopics()).toContain(topic);

    await producer.send({ topic, messages: [{ key: 'tailed', value: JSON.stringify(person(99)) }] });
    const seen = await waitFor(
      () =>
        Promise.resolve(batches.flatMap((batch) => batch.items).find((item) => item.key?.data === 'tailed')),
      { timeoutMs: 30_000, what: 'the tailed message' },
    );
    expect((seen.value!.data as { email: string }).email).toBe(MASK);
    expect(batches.every((batch) => batch.masked && batch.topic === topic)).toBe(true);
    // nothing written before the tail started
    expect(batches.flatMap((batch) => batch.items).every((item) => item.key?.data === 'tailed')).toBe(true);

    expect(await client.emitWithAck('tail:unsubscribe')).toEqual({ ok: true });
    expect(app.get(TopicTailService).tailedTopics()).not.toContain(topic);
    const groups = await waitFor(
      async () => {
        const { groups: all } = await admin.listGroups();
        const tails = all.filter((group) => group.groupId.startsWith('userstream-browser-tail-'));
        const described = await admin.describeGroups(tails.map((group) => group.groupId));
        const onTopic = described.groups.filter(
          (group) => group.members.length > 0 && group.state !== 'Dead',
        );
        return onTopic.length === 0 ? onTopic : undefined;
      },
      { timeoutMs: 20_000, what: 'the tail consumer to leave' },
    );
    expect(groups).toEqual([]);
  });
});
