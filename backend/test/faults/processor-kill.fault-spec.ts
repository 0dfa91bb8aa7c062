import type { INestApplication } from '@nestjs/common';
import { createApp } from '#src/bootstrap.js';
import { intConfig } from '../int-env.js';
import { type BackendProcess, startProcessor } from '../processes.js';
import { processorProgress, reconcileSynthetic, recordRow } from './harness.js';
import { runsApi } from '../runs-api.js';

/** The API here; processing only in one processor process, so while it is dead nothing is stored. */
describe('fault: the processor process is SIGKILLed three times during one run', () => {
  let app: INestApplication;
  let processor: BackendProcess | undefined;

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api' }));
    await app.init();
    processor = await startProcessor();
  });

  afterAll(async () => {
    await processor?.kill('SIGTERM');
    await app?.close();
  });

  it('restarts each time, and every produced user is stored exactly once', async () => {
    const runs = runsApi(app);
    const progress = processorProgress(app);
    await progress.connect();
    const seed = `fault-kill-${Date.now()}`;
    const total = 30_000;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: 600,
      batchSize: 200,
      maxRecords: total,
      seed,
    });

    const recoveries: number[] = [];
    for (let kill = 1; kill <= 3; kill++) {
      // killed while users are still arriving
      await runs.reaches(run.id, ({ counters }) => counters.produced >= (kill * total) / 5);
      await processor!.kill('SIGKILL');
      const killedAt = Date.now();
      processor = await startProcessor();
      recoveries.push(await progress.recoveredAfter(killedAt));
    }
    await progress.close();

    const done = await runs.finished(run.id);
    const counts = await reconcileSynthetic(app, done, seed);
    recordRow({
      fault: 'processor SIGKILL x3',
      ...counts,
      deadLettered: done.counters.deadLettered,
      recoverySeconds: Math.max(...recoveries),
      outcome: done.state,
    });
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(counts).toEqual({ produced: total, stored: total, duplicated: 0, lost: 0, unindexed: 0 });
    expect(done.counters.stored).toBe(counts.stored);
  });
});
