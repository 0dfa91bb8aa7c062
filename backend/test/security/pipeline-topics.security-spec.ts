import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApiError, CreatedToken, MessagePage, ProducedMessage, RawUserHeaders } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { AppConfig } from '#src/config/app-config.js';
import { intConfig, uniqueName } from '../int-env.js';

const ADMIN_TOKEN = `security-admin-${randomBytes(24).toString('hex')}`;

describe("the pipeline's topics are the pipeline's (real Kafka, AUTH_MODE=token)", () => {
  let app: NestExpressApplication;
  let topics: AppConfig['kafka']['topics'];
  let operator: string;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const codeOf = (body: unknown) => ApiError.parse(body).code;

  beforeAll(async () => {
    // a prefix of its own: the checks must follow KAFKA_TOPIC_PREFIX, and the default topics stay untouched
    app = await createApp(
      intConfig({
        APP_ROLE: 'api',
        AUTH_MODE: 'token',
        AUTH_ADMIN_TOKEN: ADMIN_TOKEN,
        KAFKA_TOPIC_PREFIX: `${uniqueName('sec')}.`,
        KAFKA_TOPIC_PARTITIONS: '1',
      }),
    );
    await app.init();
    topics = app.get(AppConfig).kafka.topics;
    const created = await http()
      .post('/api/auth/tokens')
      .set(as(ADMIN_TOKEN))
      .send({ name: uniqueName('sec-operator'), role: 'operator' })
      .expect(201);
    operator = CreatedToken.parse(created.body).token;
  });

  afterAll(async () => {
    for (const name of Object.values(topics ?? {})) {
      await http().delete(`/api/topics/${name}`).query({ force: true }).set(as(ADMIN_TOKEN));
    }
    await app?.close();
  });

  it('refuses an operator producing into the raw, processed, dead-letter or seed topic, forced or not', async () => {
    for (const name of Object.values(topics)) {
      const refused = await http()
        .post(`/api/topics/${name}/messages`)
        .set(as(operator))
        .send({ value: 'x' })
        .expect(403);
      expect([name, codeOf(refused.body)]).toEqual([name, 'TOPIC_PROTECTED']);
      const forced = await http()
        .post(`/api/topics/${name}/messages`)
        .query({ force: true })
        .set(as(operator))
        .send({ value: 'x' })
        .expect(403);
      expect([name, codeOf(forced.body)]).toEqual([name, 'AUTH_FORBIDDEN']);
    }
  });

  it('refuses runs and schedules aimed at the processed or dead-letter topic', async () => {
    const params = (topic: string) => ({
      source: 'synthetic',
      ratePerSecond: 10,
      batchSize: 10,
      maxRecords: 10,
      topic,
    });
    for (const topic of [topics.processedUsers, topics.deadLetters]) {
      const run = await http().post('/api/ingestion/runs').set(as(operator)).send(params(topic)).expect(400);
      expect(codeOf(run.body)).toBe('PIPELINE_TOPIC');
      const schedule = await http()
        .post('/api/ingestion/schedules')
        .set(as(operator))
        .send({ name: uniqueName('sec'), cron: '0 0 1 1 *', params: params(topic) })
        .expect(400);
      expect(codeOf(schedule.body)).toBe('PIPELINE_TOPIC');
    }
  });

  it("drops a caller's pipeline headers, even an admin's who forces the message in, and sets the server's", async () => {
    const forged = {
      [RawUserHeaders.runId]: 'forged-run',
      'X-Source': 'forged',
      [RawUserHeaders.fetchedAt]: '1999-01-01T00:00:00Z',
      trace: 't1',
    };
    const produced = ProducedMessage.parse(
      (
        await http()
          .post(`/api/topics/${topics.rawUsers}/messages`)
          .query({ force: true })
          .set(as(ADMIN_TOKEN))
          .send({ value: { hello: 'world' }, headers: forged })
          .expect(201)
      ).body,
    );
    const page = MessagePage.parse(
      (
        await http()
          .get(`/api/topics/${topics.rawUsers}/messages`)
          .query({ partition: produced.partition, offset: produced.offset, limit: 1 })
          .set(as(ADMIN_TOKEN))
          .expect(200)
      ).body,
    );
    const headers = Object.fromEntries(page.items[0]!.headers.map((h) => [h.key, h.value?.data]));
    expect(headers).toMatchObject({ trace: 't1', [RawUserHeaders.source]: 'api' });
    expect(Object.keys(headers)).not.toContain(RawUserHeaders.runId);
    expect(Object.keys(headers)).not.toContain(RawUserHeaders.fetchedAt);
    expect(Object.keys(headers)).not.toContain('X-Source');
  });
});
