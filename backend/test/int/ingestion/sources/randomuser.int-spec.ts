import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Run, type RunParams } from '@userstream/contracts';
import { expectedUsers, fixtureUsers, USER_FIXTURES } from '../../../fixtures/randomuser/index.js';
import { intConfig } from '../../../int-env.js';
import { runsApi } from '../../../runs-api.js';
import { type RandomUserServer, startRandomUserServer } from '../../../randomuser-server.js';
import { createApp } from '#src/bootstrap.js';
import { toStoredUser } from '#src/users/user-row.js';
import { UsersRepository } from '#src/users/users.repository.js';

/** The randomuser source against a local stand-in serving recorded, real-shaped responses. */
describe('randomuser runs through the real pipeline', () => {
  let server: RandomUserServer;
  let app: INestApplication;

  beforeAll(async () => {
    server = await startRandomUserServer();
    app = await createApp(intConfig({ RANDOMUSER_BASE_URL: server.url }));
    await app.init(); // creates the topics the processor subscribes to
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  const run = async (params: Omit<RunParams, 'source'>): Promise<Run> => {
    const runs = runsApi(app);
    return runs.finished((await runs.start({ source: 'randomuser', ...params })).id, 90_000);
  };

  it.each(USER_FIXTURES)('stores every user of %s with the right fields', async (fixture) => {
    const count = fixtureUsers(fixture).length;
    server.setScript([{ fixture }]);
    const done = await run({ ratePerSecond: 1_000, batchSize: count, maxRecords: count });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.counters).toMatchObject({ fetched: count, produced: count, stored: count, deadLettered: 0 });
    const users = app.get(UsersRepository);
    for (const expected of expectedUsers(fixture)) {
      const row = await users.findById(expected.id!);
      expect(row && toStoredUser(row)).toMatchObject({ ...expected, runId: done.id, source: 'randomuser' });
    }
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    const count = fixtureUsers('v1.4.json').length;
    server.setScript([
      { status: 429, headers: { 'retry-after': '1' }, body: { error: 'Whoa, ease up there cowboy.' } },
      { fixture: 'v1.4.json' },
    ]);
    const before = server.requests.length;
    const done = await run({ ratePerSecond: 1_000, batchSize: count, maxRecords: count });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.counters.stored).toBe(count);
    expect(server.requests.length - before).toBe(2);
    expect(done.errors.map((error) => error.message).join('\n')).toMatch(/429/);
  });

  it('fails the run with a clear reason when the source answers garbage', async () => {
    const page = { status: 200, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
    server.setScript([page, page]);
    const done = await run({ ratePerSecond: 1_000, batchSize: 5, maxRecords: 5 });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/not JSON/i);
    expect(done.counters.produced).toBe(0);
  });

  it('refuses an unknown nationality before calling the source', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/ingestion/runs')
      .send({ source: 'randomuser', ratePerSecond: 10, batchSize: 10, nationalities: ['ZZ'] })
      .expect(400);
    expect(res.body.details[0].field).toBe('nationalities.0');
  });
});
