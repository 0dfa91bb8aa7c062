import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { intConfig } from '../../int-env.js';
import { dataSourceOptions, runPostgresMigrations } from '#src/database/data-source.js';
import { IngestionRunEntity } from '#src/run-store/ingestion-run.entity.js';
import { RunsRepository } from '#src/run-store/runs.repository.js';

const HOUR_MS = 3_600_000;
/** Only `Date` is faked: timers and the driver's I/O run as usual. */
const TIMERS_LEFT_ALONE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

describe('run liveness uses the database clock, whatever the clock of the process says', () => {
  let dataSource: DataSource;
  let runs: RunsRepository;
  const created: string[] = [];

  /** How far a timestamp column of the run lies from PostgreSQL's now(), in ms. */
  const skew = async (id: string, column: 'heartbeat_at' | 'started_at' | 'finished_at') => {
    const [row] = await dataSource.query<{ skew: number }[]>(
      `SELECT extract(epoch FROM (now() - ${column})) * 1000 AS skew FROM ingestion_runs WHERE id = $1`,
      [id],
    );
    return Math.abs(Number(row?.skew));
  };

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(intConfig())).initialize();
    await runPostgresMigrations(dataSource);
    runs = new RunsRepository(dataSource.getRepository(IngestionRunEntity));
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  afterAll(async () => {
    await dataSource.getRepository(IngestionRunEntity).delete(created);
    await dataSource.destroy();
  });

  const startRun = async () => {
    const result = await runs.createWithinCap(
      {
        source: 'synthetic',
        params: { source: 'synthetic', ratePerSecond: 10, batchSize: 10 },
        scheduleId: null,
        owner: 'clock-int-spec',
      },
      64,
    );
    if (!('created' in result)) {
      throw new Error(`${result.active} runs active in the test database`);
    }
    created.push(result.created.id);
    return result.created.id;
  };

  it('a process whose clock is an hour behind keeps its run alive: the reaper does not take it for dead', async () => {
    const realNow = Date.now();
    jest.useFakeTimers({ now: realNow - HOUR_MS, doNotFake: [...TIMERS_LEFT_ALONE] });
    expect(new Date().getTime()).toBeLessThan(realNow - HOUR_MS / 2);
    const id = await startRun();
    expect(await runs.heartbeat(id, { fetched: 10, produced: 10 })).toBe('running');
    expect(await skew(id, 'started_at')).toBeLessThan(5_000);
    expect(await skew(id, 'heartbeat_at')).toBeLessThan(5_000);
    expect((await runs.interruptAbandoned(15_000, null, [])).map((run) => run.id)).not.toContain(id);
    expect(await runs.stopAbandoned(id, 15_000)).toBe(false);
  });

  it('a process whose clock is an hour ahead records its end at the database time', async () => {
    jest.useFakeTimers({ now: Date.now() + HOUR_MS, doNotFake: [...TIMERS_LEFT_ALONE] });
    const id = await startRun();
    expect(await runs.finish(id, { state: 'completed', counters: { fetched: 10, produced: 10 } })).toBe(true);
    expect(await skew(id, 'finished_at')).toBeLessThan(5_000);
    // written once: a retried end (its answer lost) changes nothing
    expect(
      await runs.finish(id, { state: 'failed', counters: { fetched: 0, produced: 0 }, error: 'x' }),
    ).toBe(false);
    const row = await dataSource.getRepository(IngestionRunEntity).findOneByOrFail({ id });
    expect(row).toMatchObject({ state: 'completed', produced: 10, error: null });
  });

  it('a completed run read back from the store counts as processed what was stored or dead-lettered', async () => {
    const id = await startRun();
    // a processor killed before flushing: 3 of its increments never arrived
    await runs.incrementCounters(id, { processed: 9, stored: 8, deadLettered: 1 });
    const end = { state: 'completed' as const, counters: { fetched: 12, produced: 12 }, stored: 11 };
    expect(await runs.finish(id, end)).toBe(true);
    const row = await dataSource.getRepository(IngestionRunEntity).findOneByOrFail({ id });
    expect(row).toMatchObject({ stored: 11, deadLettered: 1, processed: 12 });
  });
});
