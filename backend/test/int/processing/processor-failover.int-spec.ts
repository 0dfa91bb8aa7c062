import type { INestApplication } from '@nestjs/common';
import type { RawUser } from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { type BackendProcess, startProcessor } from '../../processes.js';
import { runsApi } from '../../runs-api.js';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';

/** The API in this process; processing only in separate processor processes (as when scaled out). */
describe('processor processes: scale-out and SIGKILL', () => {
  let app: INestApplication;
  const processors: BackendProcess[] = [];

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api' }));
    await app.init();
    processors.push(await startProcessor(), await startProcessor());
  });

  afterAll(async () => {
    await Promise.all(processors.map((processor) => processor.kill('SIGTERM')));
    await app?.close();
  });

  it('loses and duplicates no user when a processor is killed mid-run and started again', async () => {
    const seed = `failover-${Date.now()}`;
    const total = 20_000;
    const runs = runsApi(app);
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 4_000,
      batchSize: 500,
      maxRecords: total,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.stored > 2_000);

    const victim = processors.shift()!;
    await victim.kill('SIGKILL');
    processors.push(await startProcessor());

    const done = await runs.finished(run.id, 240_000);
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.counters.produced).toBe(total);
    expect(done.counters.stored).toBe(total);

    const expected = (await new SyntheticSource({ seed }).next(total)).map((user) =>
      deriveUserId(user as RawUser),
    );
    const ids = await app.get(UsersRepository).idsByRun(run.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids)).toEqual(new Set(expected));
  });
});
