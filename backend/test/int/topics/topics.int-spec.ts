import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import request from 'supertest';
import {
  ApiError,
  ConsumerGroupDetail,
  ConsumerGroupList,
  MessagePage,
  ProducedMessage,
  RawUserHeaders,
  TopicConfigList,
  TopicDetail,
  TopicList,
} from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { MASK } from '#src/common/personal-data.js';
import { BROWSER_GROUP_PREFIX } from '#src/kafka/topic-messages.repository.js';

const config = intConfig({ APP_ROLE: 'api' });
/** Unique per run, so runs never see each other's topics; everything under it is deleted afterwards. */
const prefix = `it-topics-${randomBytes(4).toString('hex')}`;

describe('topics and consumer groups over REST (real Kafka)', () => {
  let app: INestApplication;
  let kafka: Kafka;
  let admin: Admin;
  const http = () => request(app.getHttpServer());

  const createTopic = async (name: string, partitions = 1, configs?: Record<string, unknown>) =>
    TopicDetail.parse(
      (
        await http()
          .post('/api/topics')
          .send({ name, partitions, replicationFactor: 1, ...(configs ? { configs } : {}) })
          .expect(201)
      ).body,
    );
  const describe_ = async (name: string) =>
    TopicDetail.parse((await http().get(`/api/topics/${name}`).expect(200)).body);
  const browse = async (name: string, query: Record<string, string | number | boolean>) =>
    MessagePage.parse((await http().get(`/api/topics/${name}/messages`).query(query).expect(200)).body);
  const errorOf = (body: unknown) => ApiError.parse(body);

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    kafka = new Kafka({ clientId: 'it-topics', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    if (!app) {
      return;
    }
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (mine.length > 0) {
      await admin.deleteTopics({ topics: mine });
    }
    const groups = (await admin.listGroups()).groups.filter((group) => group.groupId.startsWith(prefix));
    if (groups.length > 0) {
      await admin.deleteGroups(groups.map((group) => group.groupId)).catch(() => undefined);
    }
    await admin.disconnect();
    await app.close();
  });

  it('creates a topic with settings, refuses the same name again (409) and impossible requests (400)', async () => {
    const name = `${prefix}.orders`;
    const created = await createTopic(name, 3, { 'retention.ms': 3_600_000, 'cleanup.policy': 'delete' });
    expect(created).toMatchObject({ name, internal: false, pipeline: false, replicationFactor: 1 });
    expect(created.partitions.map((partition) => partition.partition)).toEqual([0, 1, 2]);

    const again = await http()
      .post('/api/topics')
      .send({ name, partitions: 1, replicationFactor: 1 })
      .expect(409);
    expect(errorOf(again.body).code).toBe('TOPIC_EXISTS');
    const collision = await http()
      .post('/api/topics')
      .send({ name: `${prefix}_orders`, partitions: 1, replicationFactor: 1 })
      .expect(409);
    expect(errorOf(collision.body).code).toBe('TOPIC_NAME_COLLISION');

    const tooManyReplicas = await http()
      .post('/api/topics')
      .send({ name: `${prefix}-rf`, partitions: 1, replicationFactor: 3 })
      .expect(400);
    expect(errorOf(tooManyReplicas.body)).toMatchObject({ code: 'INVALID_REPLICATION_FACTOR' });
    const minIsr = await http()
      .post('/api/topics')
      .send({
        name: `${prefix}-isr`,
        partitions: 1,
        replicationFactor: 1,
        configs: { 'min.insync.replicas': 2 },
      })
      .expect(400);
    expect(errorOf(minIsr.body).code).toBe('INVALID_CONFIG');
    expect(await admin.listTopics()).not.toEqual(expect.arrayContaining([`${prefix}-rf`]));
  });

  it('lists topics with server-side search and paging, internal ones only when asked', async () => {
    const names = ['list-c', 'list-a', 'list-b'].map((suffix) => `${prefix}.${suffix}`);
    for (const name of names) {
      await createTopic(name, 2);
    }
    const search = `${prefix}.list-`;
    const first = TopicList.parse(
      (await http().get('/api/topics').query({ search: search.toUpperCase(), pageSize: 2 }).expect(200)).body,
    );
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items.map((topic) => topic.name)).toEqual([`${search}a`, `${search}b`]);
    expect(first.items[0]).toMatchObject({
      partitions: 2,
      replicationFactor: 1,
      underReplicatedPartitions: 0,
      approxMessages: 0,
      internal: false,
      pipeline: false,
    });
    const second = TopicList.parse(
      (await http().get('/api/topics').query({ search, pageSize: 2, page: 2 }).expect(200)).body,
    );
    expect(second.items.map((topic) => topic.name)).toEqual([`${search}c`]);

    const hidden = TopicList.parse(
      (await http().get('/api/topics').query({ search: '__consumer' }).expect(200)).body,
    );
    expect(hidden.total).toBe(0);
    const internal = TopicList.parse(
      (
        await http()
          .get('/api/topics')
          .query({ search: '__consumer_offsets', includeInternal: true })
          .expect(200)
      ).body,
    );
    expect(internal.items).toEqual([expect.objectContaining({ name: '__consumer_offsets', internal: true })]);
    const pipeline = TopicList.parse(
      (await http().get('/api/topics').query({ search: config.kafka.topics.rawUsers }).expect(200)).body,
    );
    expect(pipeline.items.find((topic) => topic.name === config.kafka.topics.rawUsers)).toMatchObject({
      pipeline: true,
    });
  });

  it('describes partitions, watermarks and settings; grows partitions; changes settings and shows them', async () => {
    const name = `${prefix}.settings`;
    await createTopic(name, 2, { 'retention.ms': 3_600_000 });
    const detail = await describe_(name);
    expect(detail.partitions).toEqual([
      expect.objectContaining({
        partition: 0,
        leader: expect.any(Number),
        low: 0,
        high: 0,
        approxMessages: 0,
      }),
      expect.objectContaining({ partition: 1, leader: expect.any(Number), low: 0, high: 0 }),
    ]);
    const [partition] = detail.partitions;
    expect(partition?.replicas).toEqual([partition?.leader]);
    expect(partition?.isr).toEqual([partition?.leader]);
    const config = (key: string, configs = detail.configs) => configs.find((entry) => entry.name === key);
    expect(config('retention.ms')).toMatchObject({
      value: '3600000',
      source: 'topic',
      editable: true,
      isDefault: false,
    });
    expect(config('cleanup.policy')).toMatchObject({ value: 'delete', editable: true });
    expect(config('cleanup.policy')?.source).not.toBe('topic');
    expect(config('unclean.leader.election.enable')).toMatchObject({ editable: false });

    const grown = TopicDetail.parse(
      (await http().post(`/api/topics/${name}/partitions`).send({ count: 4 }).expect(200)).body,
    );
    expect(grown.partitions).toHaveLength(4);
    for (const count of [4, 2]) {
      const refused = await http().post(`/api/topics/${name}/partitions`).send({ count }).expect(400);
      expect(errorOf(refused.body).code).toBe('INVALID_PARTITIONS');
    }

    const changed = TopicConfigList.parse(
      (
        await http()
          .patch(`/api/topics/${name}/configs`)
          .send({ configs: { 'cleanup.policy': 'compact,delete', 'max.message.bytes': 2_000_000 } })
          .expect(200)
      ).body,
    );
    expect(config('cleanup.policy', changed.configs)).toMatchObject({
      value: 'compact,delete',
      source: 'topic',
    });
    expect(config('max.message.bytes', changed.configs)).toMatchObject({ value: '2000000', source: 'topic' });
    // legacy AlterConfigs replaces every override: the one not named must have been carried over
    expect(config('retention.ms', changed.configs)).toMatchObject({ value: '3600000', source: 'topic' });

    await http()
      .patch(`/api/topics/${name}/configs`)
      .send({ configs: { 'retention.ms': null } })
      .expect(200);
    const reset = await describe_(name);
    expect(config('retention.ms', reset.configs)?.source).not.toBe('topic');
    expect(config('cleanup.policy', reset.configs)).toMatchObject({
      value: 'compact,delete',
      source: 'topic',
    });

    const unknown = await http()
      .patch(`/api/topics/${name}/configs`)
      .send({ configs: { 'log.retention.hours': 1 } })
      .expect(400);
    expect(errorOf(unknown.body).code).toBe('VALIDATION_FAILED');
  });

  describe('messages', () => {
    const name = `${prefix}.messages`;
    let middle = 0;

    beforeAll(async () => {
      await createTopic(name, 2);
      // partition 0: 10 messages in two bursts around `middle`; partition 1: 3
      for (let i = 0; i < 10; i++) {
        if (i === 5) {
          await sleep(50);
          middle = Date.now();
          await sleep(50);
        }
        const produced = ProducedMessage.parse(
          (
            await http()
              .post(`/api/topics/${name}/messages`)
              .send({ key: `k${i}`, value: { n: i }, headers: { 'x-test': `h${i}` }, partition: 0 })
              .expect(201)
          ).body,
        );
        expect(produced).toEqual({ topic: name, partition: 0, offset: i });
      }
      for (let i = 0; i < 3; i++) {
        await http()
          .post(`/api/topics/${name}/messages`)
          .send({ value: `plain text ${i}`, partition: 1 })
          .expect(201);
      }
    });

    const offsets = (page: MessagePage) => page.items.map((item) => [item.partition, item.offset]);

    it('reads a partition by offset, forward and newest first, with keys, headers and JSON values decoded', async () => {
      const forward = await browse(name, { partition: 0, offset: 3, limit: 4, direction: 'forward' });
      expect(offsets(forward)).toEqual([
        [0, 3],
        [0, 4],
        [0, 5],
        [0, 6],
      ]);
      expect(forward.stoppedBy).toBe('limit');
      expect(forward.items[0]).toMatchObject({
        key: { encoding: 'text', data: 'k3', truncated: false },
        value: { encoding: 'json', data: { n: 3 }, truncated: false },
        headers: [{ key: 'x-test', value: { encoding: 'text', data: 'h3' } }],
      });
      expect(Date.parse(forward.items[0]?.timestamp ?? '')).toBeGreaterThan(Date.now() - 120_000);

      const newest = await browse(name, { partition: 0, offset: 3, limit: 10 });
      expect(offsets(newest)).toEqual([
        [0, 3],
        [0, 2],
        [0, 1],
        [0, 0],
      ]);
      expect(newest.stoppedBy).toBe('end');

      const text = await browse(name, { partition: 1 });
      expect(text.items.map((item) => item.value)).toEqual([
        { encoding: 'text', data: 'plain text 2', truncated: false, sizeBytes: 12 },
        { encoding: 'text', data: 'plain text 1', truncated: false, sizeBytes: 12 },
        { encoding: 'text', data: 'plain text 0', truncated: false, sizeBytes: 12 },
      ]);
    });

    it('reads every partition newest first by default, bounded by limit and bytes', async () => {
      const page = await browse(name, { limit: 4 });
      expect(page.items).toHaveLength(4);
      const times = page.items.map((item) => Date.parse(item.timestamp ?? ''));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(page.items[0]).toMatchObject({ partition: 1, offset: 2 });

      const small = await browse(name, { partition: 0, limit: 10, maxBytes: 1_024, direction: 'forward' });
      expect(small.items.length).toBe(10); // 10 tiny records fit in 1 KiB
    });

    it('reads from a timestamp: forward from it, and newest first up to it', async () => {
      const after = await browse(name, { partition: 0, timestamp: middle, direction: 'forward', limit: 100 });
      expect(offsets(after).map(([, offset]) => offset)).toEqual([5, 6, 7, 8, 9]);
      const iso = new Date(middle).toISOString();
      const before = await browse(name, { partition: 0, timestamp: iso, limit: 100 });
      expect(offsets(before).map(([, offset]) => offset)).toEqual([4, 3, 2, 1, 0]);
      const future = await browse(name, { timestamp: Date.now() + 3_600_000, direction: 'forward' });
      expect(future).toMatchObject({ items: [], stoppedBy: 'end' });
    });

    it('masks personal fields of a user-shaped value unless unmasked=true', async () => {
      const user = {
        name: { first: 'Ada', last: 'Lovelace' },
        email: 'ada@example.com',
        login: { uuid: 'f0e1d2c3-0000-4000-8000-000000000001', username: 'ada', password: 'pw' },
        location: { city: 'London', street: { number: 1, name: 'Main St' } },
        phone: '+44 1',
      };
      const { offset } = ProducedMessage.parse(
        (await http().post(`/api/topics/${name}/messages`).send({ value: user, partition: 1 }).expect(201))
          .body,
      );
      const masked = await browse(name, { partition: 1, offset, limit: 1 });
      expect(masked.masked).toBe(true);
      expect(masked.items[0]?.value?.data).toEqual({
        name: { first: 'Ada', last: 'Lovelace' },
        email: MASK,
        login: { uuid: MASK, username: MASK, password: MASK },
        location: { city: 'London', street: { number: MASK, name: MASK } },
        phone: MASK,
      });
      const clear = await browse(name, { partition: 1, offset, limit: 1, unmasked: true });
      expect(clear.masked).toBe(false);
      expect(clear.items[0]?.value?.data).toEqual(user);
    });

    it('stops at the byte budget and cuts large values, masked before they are cut', async () => {
      const large = `${prefix}.large`;
      await createTopic(large);
      const value = { email: 'big@example.com', padding: 'p'.repeat(40_000) };
      for (let i = 0; i < 3; i++) {
        await http().post(`/api/topics/${large}/messages`).send({ value }).expect(201);
      }
      const page = await browse(large, { direction: 'forward', maxBytes: 50_000 });
      expect(page.stoppedBy).toBe('maxBytes');
      expect(page.items).toHaveLength(1);
      const shown = page.items[0]?.value;
      expect(shown).toMatchObject({
        encoding: 'text',
        truncated: true,
        sizeBytes: JSON.stringify(value).length,
      });
      expect(shown?.data).toMatch(/^\{"email":"\*\*\*","padding":"ppp/);
      expect(JSON.stringify(page)).not.toContain('big@example.com');
    });

    it('leaves no browsing consumer group behind', async () => {
      await browse(name, { limit: 2 });
      await waitFor(
        async () => {
          const { groups } = await admin.listGroups();
          return groups.some((group) => group.groupId.startsWith(BROWSER_GROUP_PREFIX)) ? undefined : true;
        },
        { timeoutMs: 10_000, what: 'browser groups to be gone' },
      );
    });

    it('reports the size on disk and the approximate message count', async () => {
      const list = TopicList.parse(
        (await http().get('/api/topics').query({ search: name }).expect(200)).body,
      );
      expect(list.items[0]).toMatchObject({ name, approxMessages: 14 });
      expect(list.items[0]?.sizeBytes).toBeGreaterThan(0);
    });
  });

  it('consumer group lag is produced minus committed, per partition and in total', async () => {
    const topic = `${prefix}.lag`;
    const groupId = `${prefix}-group`;
    await createTopic(topic, 2);
    const producer: Producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 10 }, (_, i) => ({ value: `a${i}`, partition: 0 })),
        ...Array.from({ length: 6 }, (_, i) => ({ value: `b${i}`, partition: 1 })),
      ],
    });
    await producer.disconnect();

    const consumer: Consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    // the test commits by hand: 4 read on partition 0, nothing on partition 1
    await consumer.run({ autoCommit: false, eachBatch: () => Promise.resolve() });
    consumer.pause([{ topic }]);
    await consumer.commitOffsets([{ topic, partition: 0, offset: '4' }]);
    try {
      const detail = await waitFor(
        async () => {
          const body = ConsumerGroupDetail.parse(
            (await http().get(`/api/consumer-groups/${groupId}`).expect(200)).body,
          );
          return body.state === 'Stable' && body.offsets.length === 2 ? body : undefined;
        },
        { timeoutMs: 20_000, what: 'the group to be stable with both partitions' },
      );
      expect(detail.offsets).toEqual([
        { topic, partition: 0, committed: 4, low: 0, high: 10, lag: 6 },
        { topic, partition: 1, committed: null, low: 0, high: 6, lag: 6 },
      ]);
      expect(detail.totalLag).toBe(12);
      expect(detail.memberDetails).toEqual([
        expect.objectContaining({ clientId: 'it-topics', assignments: [{ topic, partitions: [0, 1] }] }),
      ]);
      expect(detail).toMatchObject({ members: 1, protocolType: 'consumer' });

      const list = ConsumerGroupList.parse(
        (await http().get('/api/consumer-groups').query({ search: prefix }).expect(200)).body,
      );
      expect(list.items).toEqual([
        expect.objectContaining({ groupId, state: 'Stable', members: 1, protocolType: 'consumer' }),
      ]);

      const onTopic = (await describe_(topic)).consumerGroups;
      expect(onTopic).toEqual([expect.objectContaining({ groupId, members: 1, lag: 12 })]);
    } finally {
      await consumer.disconnect();
    }
    // once the member left, only what was committed remains
    const after = ConsumerGroupDetail.parse(
      (await http().get(`/api/consumer-groups/${groupId}`).expect(200)).body,
    );
    expect(after).toMatchObject({ state: 'Empty', members: 0, totalLag: 6 });
    expect(after.offsets).toEqual([{ topic, partition: 0, committed: 4, low: 0, high: 10, lag: 6 }]);
  });

  it('still produces to other topics after a topic it produced to was deleted', async () => {
    const [gone, next] = [`${prefix}.produced-then-deleted`, `${prefix}.produced-after`];
    await createTopic(gone);
    await createTopic(next);
    await http().post(`/api/topics/${gone}/messages`).send({ value: 'first' }).expect(201);
    await http().delete(`/api/topics/${gone}`).expect(204);
    await http().post(`/api/topics/${next}/messages`).send({ value: 'second' }).expect(201);
    const missing = await http().post(`/api/topics/${gone}/messages`).send({ value: 'third' }).expect(404);
    expect(errorOf(missing.body).code).toBe('TOPIC_NOT_FOUND');
  });

  it('deletes a topic, and refuses to delete pipeline topics (unless forced) and internal ones (ever)', async () => {
    const name = `${prefix}.doomed`;
    await createTopic(name);
    await http().delete(`/api/topics/${name}`).expect(204);
    expect(errorOf((await http().get(`/api/topics/${name}`).expect(404)).body).code).toBe('TOPIC_NOT_FOUND');
    await http().delete(`/api/topics/${name}`).expect(404);

    const pipeline = await http().delete(`/api/topics/${config.kafka.topics.rawUsers}`).expect(403);
    expect(errorOf(pipeline.body).code).toBe('TOPIC_PROTECTED');
    for (const query of [{}, { force: true }]) {
      const internal = await http().delete('/api/topics/__consumer_offsets').query(query).expect(403);
      expect(errorOf(internal.body).code).toBe('TOPIC_PROTECTED');
    }
    const grow = await http()
      .post('/api/topics/__consumer_offsets/partitions')
      .send({ count: 60 })
      .expect(403);
    expect(errorOf(grow.body).code).toBe('TOPIC_PROTECTED');
    await http().post('/api/topics/__consumer_offsets/messages').send({ value: 'x' }).expect(403);
    expect(await admin.listTopics()).toEqual(
      expect.arrayContaining([config.kafka.topics.rawUsers, '__consumer_offsets']),
    );
  });

  it("takes a test message into the pipeline's topics only when an admin forces it, with the server's headers", async () => {
    const deadLetters = config.kafka.topics.deadLetters;
    const refused = await http().post(`/api/topics/${deadLetters}/messages`).send({ value: 'x' }).expect(403);
    expect(errorOf(refused.body)).toMatchObject({
      code: 'TOPIC_PROTECTED',
      message: expect.stringContaining('force=true') as string,
    });
    const forged = { [RawUserHeaders.runId]: 'forged-run', 'X-Source': 'forged', trace: 't1' };
    const { partition, offset } = ProducedMessage.parse(
      (
        await http()
          .post(`/api/topics/${deadLetters}/messages`)
          .query({ force: true })
          .send({ value: 'forced', headers: forged })
          .expect(201)
      ).body,
    );
    const page = await browse(deadLetters, { partition, offset, limit: 1 });
    const headers = Object.fromEntries(page.items[0]!.headers.map((h) => [h.key, h.value?.data]));
    expect(headers).toMatchObject({ trace: 't1', [RawUserHeaders.source]: 'api' });
    expect(Object.keys(headers)).not.toContain(RawUserHeaders.runId);
    expect(Object.keys(headers)).not.toContain('X-Source');
  });

  it('documents its routes in OpenAPI, without the catch-all for slashed names', async () => {
    const paths = Object.keys((await http().get('/api/docs-json').expect(200)).body.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/topics',
        '/api/topics/{name}',
        '/api/topics/{name}/partitions',
        '/api/topics/{name}/configs',
        '/api/topics/{name}/messages',
        '/api/consumer-groups',
        '/api/consumer-groups/{groupId}',
        '/api/consumer-groups/{groupId}/offsets/reset',
      ]),
    );
    expect(paths.filter((path) => path.includes('rest'))).toEqual([]);
  });

  it('never answers bad input with a 5xx', async () => {
    const existing = `${prefix}.orders`;
    const long = 'x'.repeat(300);
    const cases: [string, () => request.Test, number][] = [
      ['encoded slash', () => http().get('/api/topics/a%2Fb'), 400],
      ['slash', () => http().get('/api/topics/a/b'), 400],
      ['slash before a sub-resource', () => http().get('/api/topics/a/b/messages'), 400],
      ['slash on delete', () => http().delete('/api/topics/a/b'), 400],
      ['300 chars', () => http().get(`/api/topics/${long}`), 400],
      ['dot dot', () => http().get('/api/topics/%2E%2E'), 400],
      ['quote injection', () => http().get(`/api/topics/${encodeURIComponent("x' OR '1'='1")}`), 400],
      ['script injection', () => http().get(`/api/topics/${encodeURIComponent('<script>')}/messages`), 400],
      ['null byte', () => http().get('/api/topics/a%00b'), 400],
      ['unknown topic', () => http().get(`/api/topics/${prefix}.missing`), 404],
      ['unknown topic messages', () => http().get(`/api/topics/${prefix}.missing/messages`), 404],
      [
        'produce to unknown',
        () => http().post(`/api/topics/${prefix}.missing/messages`).send({ value: 1 }),
        404,
      ],
      [
        'patch unknown',
        () =>
          http()
            .patch(`/api/topics/${prefix}.missing/configs`)
            .send({ configs: { 'retention.ms': 1 } }),
        404,
      ],
      ['search injection', () => http().get('/api/topics').query({ search: "' OR 1=1; --" }), 200],
      ['negative page', () => http().get('/api/topics').query({ page: -1 }), 400],
      ['unknown query', () => http().get('/api/topics').query({ sort: 'name' }), 400],
      [
        'negative partitions',
        () =>
          http()
            .post('/api/topics')
            .send({ name: `${prefix}-neg`, partitions: -3, replicationFactor: 1 }),
        400,
      ],
      [
        '300-char name',
        () => http().post('/api/topics').send({ name: long, partitions: 1, replicationFactor: 1 }),
        400,
      ],
      [
        'name with slash',
        () => http().post('/api/topics').send({ name: 'a/b', partitions: 1, replicationFactor: 1 }),
        400,
      ],
      [
        'unknown config',
        () =>
          http()
            .post('/api/topics')
            .send({
              name: `${prefix}-cfg`,
              partitions: 1,
              replicationFactor: 1,
              configs: { 'log.dirs': '/' },
            }),
        400,
      ],
      [
        'config injection',
        () =>
          http()
            .post('/api/topics')
            .send({
              name: `${prefix}-cfg`,
              partitions: 1,
              replicationFactor: 1,
              configs: { 'retention.ms': '1; rm -rf /' },
            }),
        400,
      ],
      [
        'string partitions',
        () =>
          http()
            .post('/api/topics')
            .send({ name: `${prefix}-str`, partitions: '3', replicationFactor: 1 }),
        400,
      ],
      [
        'malformed JSON',
        () => http().post('/api/topics').set('content-type', 'application/json').send('{"name":'),
        400,
      ],
      ['array body', () => http().post('/api/topics').send([1, 2]), 400],
      [
        'partition out of range',
        () => http().get(`/api/topics/${existing}/messages`).query({ partition: 99 }),
        400,
      ],
      [
        'offset and timestamp',
        () => http().get(`/api/topics/${existing}/messages`).query({ offset: 1, timestamp: 1 }),
        400,
      ],
      ['limit too high', () => http().get(`/api/topics/${existing}/messages`).query({ limit: 100_000 }), 400],
      [
        'produce to a missing partition',
        () => http().post(`/api/topics/${existing}/messages`).send({ value: 'v', partition: 9 }),
        400,
      ],
      [
        'produce too large',
        () =>
          http()
            .post(`/api/topics/${existing}/messages`)
            .send({ value: 'x'.repeat(70_000) }),
        400,
      ],
      [
        'partitions as text',
        () => http().post(`/api/topics/${existing}/partitions`).send({ count: 'many' }),
        400,
      ],
      [
        'negative partitions added',
        () => http().post(`/api/topics/${existing}/partitions`).send({ count: -1 }),
        400,
      ],
      [
        'empty config change',
        () => http().patch(`/api/topics/${existing}/configs`).send({ configs: {} }),
        400,
      ],
      [
        'force as text',
        () => http().delete(`/api/topics/${prefix}.missing`).query({ force: 'yes please' }),
        400,
      ],
      ['group with newline', () => http().get('/api/consumer-groups/a%0Ab'), 400],
      ['long group', () => http().get(`/api/consumer-groups/${'g'.repeat(300)}`), 400],
      ['unknown group', () => http().get(`/api/consumer-groups/${prefix}-nobody`), 404],
    ];
    for (const [what, send, status] of cases) {
      const res = await send();
      expect({ what, status: res.status }).toEqual({ what, status });
      if (status >= 400) {
        expect(errorOf(res.body).statusCode).toBe(status);
      }
    }
    expect((await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}-`))).toEqual([]);
  });
});
