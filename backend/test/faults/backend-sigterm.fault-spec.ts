import type { INestApplication } from '@nestjs/common';
import { type RawUser } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { intConfig } from '../int-env.js';
import { type BackendProcess, startBackend, waitFor } from '../processes.js';
import { reconcileSynthetic, recordRow } from './harness.js';
import { runsApi } from '../runs-api.js';

const PORT = '3131';
const startWholeBackend = () => startBackend({ APP_ROLE: 'all', PORT }, /userstream all on http/);

/**
 * The whole backend (API, runs and processor in one process) is sent SIGTERM mid-run: it drains, commits,
 * records the run as interrupted and exits; started again, it processes what was left and takes new runs.
 * This process only reads the stores (its app has no processor and starts no run).
 */
describe('fault: backend SIGTERM during a run', () => {
  let reader: INestApplication;
  let backend: BackendProcess | undefined;

  beforeAll(async () => {
    reader = await createApp(intConfig({ APP_ROLE: 'api' }));
    await reader.init();
    backend = await startWholeBackend();
  });

  afterAll(async () => {
    await backend?.kill('SIGTERM');
    await reader?.close();
  });

  it('drains, marks the run interrupted, and after a restart nothing it produced is lost', async () => {
    const runs = runsApi(`http://127.0.0.1:${PORT}`);
    const users = reader.get(UsersRepository);
    const seed = `fault-sigterm-${Date.now()}`;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 2_000,
      batchSize: 500,
      maxRecords: 100_000,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.produced >= 8_000);

    const signalledAt = Date.now();
    await backend!.kill('SIGTERM');
    const exitSeconds = (Date.now() - signalledAt) / 1000;
    // Nest re-raises the signal once its shutdown hooks are done
    expect([backend!.child.exitCode, backend!.child.signalCode]).toEqual([null, 'SIGTERM']);
    backend = await startWholeBackend();
    const restartedAt = Date.now();

    const interrupted = await runs.getRun(run.id);
    expect(interrupted).toMatchObject({ state: 'interrupted', error: expect.stringMatching(/shut down/) });
    const { produced, fetched } = interrupted.counters;
    // what was produced is stored once the restarted processor has caught up
    await waitFor(async () => ((await users.countByRun(run.id)) >= produced ? true : undefined), {
      timeoutMs: 120_000,
      what: 'the interrupted run to be stored',
    });
    const recoverySeconds = (Date.now() - restartedAt) / 1000;
    const fetchedIds = new Set(
      (await new SyntheticSource({ seed }).next(fetched)).map((user) => deriveUserId(user as RawUser)),
    );
    const ids = await users.idsByRun(run.id);
    recordRow({
      fault: `backend SIGTERM (exit in ${exitSeconds.toFixed(1)} s)`,
      produced,
      stored: ids.length,
      duplicated: ids.length - new Set(ids).size + ids.filter((id) => !fetchedIds.has(id)).length,
      lost: Math.max(0, produced - ids.length),
      deadLettered: interrupted.counters.deadLettered,
      recoverySeconds,
      outcome: `${interrupted.state}; new run completed`,
    });
    expect(ids).toHaveLength(produced);
    expect(new Set(ids).size).toBe(produced);
    expect(ids.every((id) => fetchedIds.has(id))).toBe(true);

    // the restarted backend takes a new run and completes it
    const nextSeed = `${seed}-after`;
    const next = await runs.finished(
      (
        await runs.start({
          source: 'synthetic',
          ratePerSecond: 5_000,
          batchSize: 500,
          maxRecords: 5_000,
          seed: nextSeed,
        })
      ).id,
    );
    expect(next).toMatchObject({ state: 'completed', error: null });
    expect(await reconcileSynthetic(reader, next, nextSeed)).toEqual({
      produced: 5_000,
      stored: 5_000,
      duplicated: 0,
      lost: 0,
      unindexed: 0,
    });
  });
});
