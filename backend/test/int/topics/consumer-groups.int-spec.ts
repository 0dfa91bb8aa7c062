import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { type Admin, type Consumer, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import {
  ApiError,
  AuditList,
  ConsumerGroupDetail,
  ConsumerGroupList,
  CreatedToken,
  OffsetResetResult,
} from '@userstream/contracts';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { AuditService } from '#src/audit/audit.service.js';
import { createApp } from '#src/bootstrap.js';

const ADMIN_TOKEN = `int-admin-${randomBytes(24).toString('hex')}`;
const config = intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN });
/** Unique per run; its topic and group are deleted afterwards. */
const prefix = `it-groups-${randomBytes(4).toString('hex')}`;
const topic = `${prefix}.orders`;
const groupId = `${prefix}-readers`;
// records stamped within Kafka's retention (7 days): older ones are deleted by the broker's next retention
// check, every 5 minutes, and the log then starts past them (CI saw an exact reset refused as out of the log)
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
const T1 = T0 + 3_600_000;

describe('consumer group offset reset over REST (real Kafka)', () => {
  let app: INestApplication;
  let kafka: Kafka;
  let admin: Admin;
  let operator: CreatedToken;
  const http = () => request(app.getHttpServer());
  const reset = (body: object, token = ADMIN_TOKEN, group = groupId) =>
    http()
      .post(`/api/consumer-groups/${encodeURIComponent(group)}/offsets/reset`)
      .set('authorization', `Bearer ${token}`)
      .send(body);
  const committed = async () =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions
      .map(({ partition, offset }) => [partition, Number(offset)])
      .sort((a, b) => a[0]! - b[0]!);
  const joinGroup = async (): Promise<Consumer> => {
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ autoCommit: false, eachBatch: () => Promise.resolve() });
    consumer.pause([{ topic }]);
    await waitFor(
      async () => ((await admin.describeGroups([groupId])).groups[0]?.state === 'Stable' ? true : undefined),
      { timeoutMs: 20_000, what: 'the group to be stable' },
    );
    return consumer;
  };

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    kafka = new Kafka({ clientId: 'it-groups', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    operator = CreatedToken.parse(
      (
        await http()
          .post('/api/auth/tokens')
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .send({ name: uniqueName('int-groups-operator'), role: 'operator' })
          .expect(201)
      ).body,
    );
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    // per partition: 3 records at T0, then 5 (partition 0) or 3 (partition 1) at T1
    const records = (partition: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        value: `p${partition}-${i}`,
        partition,
        timestamp: String(i < 3 ? T0 : T1),
      }));
    await producer.send({ topic, messages: [...records(0, 8), ...records(1, 6)] });
    await producer.disconnect();
    // a reader that committed 2 on partition 0 and 5 on partition 1, then left
    const consumer = await joinGroup();
    await consumer.commitOffsets([
      { topic, partition: 0, offset: '2' },
      { topic, partition: 1, offset: '5' },
    ]);
    await consumer.disconnect();
  });

  afterAll(async () => {
    if (!app) {
      return;
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await app.close();
  });

  it('previews a reset with the resulting lag per partition, changing nothing', async () => {
    const preview = OffsetResetResult.parse(
      (await reset({ topic, to: 'latest', dryRun: true }).expect(200)).body,
    );
    expect(preview).toMatchObject({
      groupId,
      topic,
      dryRun: true,
      resettable: true,
      state: 'Empty',
      members: 0,
      totalLag: 7,
      newTotalLag: 0,
    });
    expect(preview.partitions).toEqual([
      { partition: 0, committed: 2, newOffset: 8, low: 0, high: 8, lag: 6, newLag: 0 },
      { partition: 1, committed: 5, newOffset: 6, low: 0, high: 6, lag: 1, newLag: 0 },
    ]);
    expect(await committed()).toEqual([
      [0, 2],
      [1, 5],
    ]);
    const list = ConsumerGroupList.parse(
      (
        await http()
          .get('/api/consumer-groups')
          .query({ search: prefix })
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .expect(200)
      ).body,
    );
    expect(list.items).toEqual([
      expect.objectContaining({ groupId, state: 'Empty', members: 0, totalLag: 7 }),
    ]);
  });

  it('resets to the earliest, the latest, a time and an exact offset, and audits each', async () => {
    const run = async (body: object) =>
      OffsetResetResult.parse((await reset({ topic, dryRun: false, ...body }).expect(200)).body);

    expect((await run({ to: 'earliest' })).newTotalLag).toBe(14);
    expect(await committed()).toEqual([
      [0, 0],
      [1, 0],
    ]);

    expect((await run({ to: 'latest', partitions: [1] })).partitions).toEqual([
      expect.objectContaining({ partition: 1, committed: 0, newOffset: 6, newLag: 0 }),
    ]);
    expect(await committed()).toEqual([
      [0, 0],
      [1, 6],
    ]);

    const byTime = await run({ to: { timestamp: new Date(T0 + 1).toISOString() } });
    expect(byTime.partitions.map((entry) => entry.newOffset)).toEqual([3, 3]);
    expect(await committed()).toEqual([
      [0, 3],
      [1, 3],
    ]);
    // after the last record: the end of the log
    await run({ to: { timestamp: T1 + 1 } });
    expect(await committed()).toEqual([
      [0, 8],
      [1, 6],
    ]);

    const exact = await run({ to: { offset: 4 }, partitions: [0] });
    expect(exact).toMatchObject({
      newTotalLag: 4,
      partitions: [{ partition: 0, committed: 8, newOffset: 4 }],
    });
    expect(await committed()).toEqual([
      [0, 4],
      [1, 6],
    ]);
    const detail = ConsumerGroupDetail.parse(
      (
        await http()
          .get(`/api/consumer-groups/${groupId}`)
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .expect(200)
      ).body,
    );
    expect(detail.totalLag).toBe(4);
    expect(detail.trend.total.at(-1)).toBe(4);

    await app.get(AuditService).flush();
    const audit = AuditList.parse(
      (
        await http()
          .get('/api/audit')
          .query({ method: 'POST', pageSize: '50' })
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .expect(200)
      ).body,
    );
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        route: '/api/consumer-groups/:groupId/offsets/reset',
        role: 'admin',
        statusCode: 200,
        success: true,
        target: expect.objectContaining({
          params: { groupId },
          body: { topic, to: { offset: 4 }, partitions: [0], dryRun: false },
        }),
      }),
    );
  });

  it('refuses a real reset while a member is connected (409), but still previews', async () => {
    const consumer = await joinGroup();
    try {
      const refused = await reset({ topic, to: 'earliest', dryRun: false }).expect(409);
      expect(ApiError.parse(refused.body)).toMatchObject({
        code: 'GROUP_NOT_EMPTY',
        details: { state: 'Stable', members: 1 },
      });
      const preview = OffsetResetResult.parse(
        (await reset({ topic, to: 'earliest', dryRun: true }).expect(200)).body,
      );
      expect(preview).toMatchObject({ resettable: false, members: 1, state: 'Stable' });
      expect(await committed()).toEqual([
        [0, 4],
        [1, 6],
      ]);
    } finally {
      await consumer.disconnect();
    }
  });

  it('is admin-only: an operator gets 403, even for a dry run', async () => {
    const res = await reset({ topic, to: 'latest', dryRun: true }, operator.token).expect(403);
    expect(ApiError.parse(res.body).code).toBe('AUTH_FORBIDDEN');
  });

  it('answers bad requests with a 4xx and its code', async () => {
    const cases: [object, number, string, string?][] = [
      [{ topic, to: 'latest' }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: 'middle', dryRun: true }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: { offset: -1 }, dryRun: true }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: { timestamp: 'yesterday' }, dryRun: true }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: { offset: 1, timestamp: 1 }, dryRun: true }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: 'latest', dryRun: true, partitions: [0, 0] }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: 'latest', dryRun: true, extra: 1 }, 400, 'VALIDATION_FAILED'],
      [{ topic: 'a/b', to: 'latest', dryRun: true }, 400, 'VALIDATION_FAILED'],
      [{ topic, to: 'latest', dryRun: true, partitions: [7] }, 400, 'UNKNOWN_PARTITION'],
      [{ topic, to: { offset: 9 }, dryRun: false }, 400, 'OFFSET_OUT_OF_RANGE'],
      [{ topic: `${prefix}.missing`, to: 'latest', dryRun: true }, 404, 'TOPIC_NOT_FOUND'],
      [{ topic, to: 'latest', dryRun: true }, 404, 'GROUP_NOT_FOUND', `${prefix}-nobody`],
      [{ topic, to: 'latest', dryRun: true }, 400, 'INVALID_GROUP_ID', 'a\nb'],
    ];
    for (const [body, status, code, group] of cases) {
      const res = await reset(body, ADMIN_TOKEN, group);
      expect([JSON.stringify(body), res.status, ApiError.parse(res.body).code]).toEqual([
        JSON.stringify(body),
        status,
        code,
      ]);
    }
    expect(await committed()).toEqual([
      [0, 4],
      [1, 6],
    ]);
  });
});
