import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ProcessorsStatus, type RawUser } from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { type BackendProcess, startProcessor, waitFor } from '../../processes.js';
import { runsApi } from '../../runs-api.js';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';

const config = intConfig({ APP_ROLE: 'api' });
const { rawUsers, seedUsers } = config.kafka.topics;

/** The API in this process; processing in separate processor processes, a second one added mid-run. */
describe('processors: an even split, and one added during a run', () => {
  let app: INestApplication;
  const processors: BackendProcess[] = [];
  const processorsStatus = async () =>
    ProcessorsStatus.parse((await request(app.getHttpServer()).get('/api/processors').expect(200)).body);
  const ownedOf = (status: ProcessorsStatus, topic: string) =>
    status.members.map((member) =>
      member.partitions.filter((entry) => entry.topic === topic).map((entry) => entry.partition),
    );

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    processors.push(await startProcessor());
  });

  afterAll(async () => {
    await Promise.all(processors.map((processor) => processor.kill('SIGTERM')));
    await app?.close();
  });

  it('moves half the partitions to a processor started mid-run, losing and duplicating no user', async () => {
    const single = await waitFor(
      async () => {
        const status = await processorsStatus();
        return status.state === 'Stable' && ownedOf(status, rawUsers)[0]?.length === 6 ? status : undefined;
      },
      { timeoutMs: 60_000, what: 'one processor owning all six raw partitions' },
    );
    expect(single.groupId).toBe(config.kafka.processorGroupId);
    expect(single.members).toHaveLength(1);

    const seed = `processors-${Date.now()}`;
    const total = 8_000;
    const runs = runsApi(app);
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 1_000,
      batchSize: 250,
      maxRecords: total,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.stored > 1_000);

    processors.push(await startProcessor());
    // round robin over both input topics: three partitions of each per processor
    const split = await waitFor(
      async () => {
        const status = await processorsStatus();
        const raw = ownedOf(status, rawUsers);
        return status.state === 'Stable' && raw.length === 2 && raw.every((owned) => owned.length === 3)
          ? status
          : undefined;
      },
      { timeoutMs: 60_000, what: 'two processors owning three raw partitions each' },
    );
    expect(ownedOf(split, rawUsers).flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ownedOf(split, seedUsers).map((owned) => owned.length)).toEqual([3, 3]);
    expect(split.unassigned).toEqual([]);
    for (const member of split.members) {
      expect(member.lag).toBe(member.partitions.reduce((sum, entry) => sum + entry.lag, 0));
    }
    expect(new Set(split.members.map((member) => member.memberId)).size).toBe(2);

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

    // everything committed: no lag left on the raw topic
    const after = await processorsStatus();
    expect(
      after.members
        .flatMap((member) => member.partitions)
        .filter((entry) => entry.topic === rawUsers)
        .reduce((sum, entry) => sum + entry.lag, 0),
    ).toBe(0);
  });
});
