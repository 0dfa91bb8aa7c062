import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { HealthResponse } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../../int-env.js';

describe('GET /api/health (real Kafka, Cassandra, PostgreSQL)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(intConfig());
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports every service up after a real round trip to each', async () => {
    const res = await request(app.getHttpServer()).get('/api/health').expect(200);
    const body = HealthResponse.parse(res.body);
    expect(body.status).toBe('ok');
    expect(body.services.kafka).toMatchObject({ status: 'up', detail: expect.stringMatching(/1 broker/) });
    expect(body.services.cassandra).toMatchObject({
      status: 'up',
      detail: expect.stringMatching(/^release 5\.0/),
    });
    expect(body.services.postgres).toMatchObject({
      status: 'up',
      detail: expect.stringMatching(/^PostgreSQL/),
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.paths).toHaveProperty('/api/health');
  });
});
