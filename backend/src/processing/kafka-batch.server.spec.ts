import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { waitFor } from '#src/common/index.js';
import { KafkaBatchServer } from './kafka-batch.server.js';

const events = {
  CRASH: 'crash',
  REBALANCING: 'rebalancing',
  GROUP_JOIN: 'group_join',
  FETCH_START: 'fetch_start',
};

/** A kafkajs consumer stand-in: it fetches (emits FETCH_START) while `fetching`, and may never disconnect. */
class FakeConsumer extends EventEmitter {
  readonly events = events;
  fetching = true;
  disconnects = 0;
  private readonly ticker = setInterval(() => {
    if (this.fetching) {
      this.emit(events.FETCH_START, {});
    }
  }, 20);

  constructor(private readonly hangOnDisconnect: boolean) {
    super();
  }

  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  /** The run config kafkajs was given: its eachBatch takes the batches a test hands in. */
  runConfig: { eachBatch: (payload: unknown) => Promise<void> } | undefined;
  run = (config: { eachBatch: (payload: unknown) => Promise<void> }) => {
    this.runConfig = config;
    return Promise.resolve();
  };
  pause = () => undefined;
  resume = () => undefined;
  /** The broker taking a commit: the group's offsets the admin client answers with. */
  onCommit: (partition: number, offset: string) => void = () => undefined;
  /** Offsets committed, in order, as `partition:offset`. */
  commits: string[] = [];
  /** How its commits go: taken, refused (a coordinator that moved), or never answered. */
  commitsGo: 'taken' | 'refused' | 'unanswered' = 'taken';
  commitOffsets = (offsets: { partition: number; offset: string }[]) => {
    if (this.commitsGo === 'refused') {
      return Promise.reject(new Error('This is not the correct coordinator for this group'));
    }
    if (this.commitsGo === 'unanswered') {
      return new Promise<void>(() => undefined);
    }
    for (const { partition, offset } of offsets) {
      this.commits.push(`${partition}:${offset}`);
      this.onCommit(partition, offset);
    }
    return Promise.resolve();
  };

  disconnect = (): Promise<void> => {
    this.disconnects++;
    this.stop();
    return this.hangOnDisconnect ? new Promise(() => undefined) : Promise.resolve();
  };

  stop(): void {
    clearInterval(this.ticker);
  }
}

describe('KafkaBatchServer', () => {
  const started: FakeConsumer[] = [];
  let server: KafkaBatchServer;

  /** What the admin client answers: each partition's high watermark and the group's committed offset. */
  let highs: Record<number, string> = {};
  let committed: Record<number, string> = {};
  /** Admin clients made, and whether the next watermark read fails (as kafkajs's does on a moved leader). */
  let admins = 0;
  /** How the next watermark reads go: answered, refused (as kafkajs's on a moved leader), or never answered. */
  let watermarkReads: 'answer' | 'fail' | 'hang' = 'answer';

  const listen = async ({
    hangOnDisconnect = false,
    handler = () => Promise.resolve([] as Promise<unknown>[]),
    commitIntervalMs = 20,
  }: {
    hangOnDisconnect?: boolean;
    handler?: () => Promise<Promise<unknown>[]>;
    commitIntervalMs?: number;
  } = {}) => {
    const kafka = {
      admin: () => ({
        made: ++admins,
        connect: () => Promise.resolve(),
        disconnect: () => Promise.resolve(),
        fetchTopicOffsets: () =>
          watermarkReads === 'hang'
            ? new Promise(() => undefined)
            : watermarkReads === 'fail'
              ? Promise.reject(new Error('This server is not the leader for that topic-partition'))
              : Promise.resolve(
                  Object.entries(highs).map(([partition, high]) => ({
                    partition: Number(partition),
                    high,
                    low: '0',
                  })),
                ),
        fetchOffsets: ({ topics }: { topics: string[] }) =>
          Promise.resolve(
            topics.map((topic) => ({
              topic,
              partitions: Object.entries(committed).map(([partition, offset]) => ({
                partition: Number(partition),
                offset,
              })),
            })),
          ),
      }),
      consumer: () => {
        // only the first one hangs: the replacement is closed normally at the end
        const consumer = new FakeConsumer(hangOnDisconnect && started.length === 0);
        consumer.onCommit = (partition, offset) => (committed[partition] = offset);
        started.push(consumer);
        return consumer;
      },
    } as unknown as Kafka;
    server = new KafkaBatchServer({
      kafka,
      groupId: 'g',
      partitionsConsumedConcurrently: 1,
      topics: { raw: 'raw-topic' },
      commitIntervalMs,
      stuckAfterMs: 300,
      stallReportMs: 200,
      watermarkCheckMs: 50,
      unreadAfterMs: 300,
      watermarkReadTimeoutMs: 100,
      commitTimeoutMs: 100,
      commitFailingMs: 400,
      saveBeforeCommitMs: 200,
    });
    server.addHandler('raw', handler, true);
    await new Promise<void>((resolve, reject) => {
      void server.listen((error?: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('listen failed'));
        } else {
          resolve();
        }
      });
    });
  };

  beforeEach(() => {
    highs = {};
    committed = {};
    admins = 0;
    watermarkReads = 'answer';
  });

  afterEach(async () => {
    await server.close();
    for (const consumer of started) {
      consumer.stop();
    }
    started.length = 0;
  });

  it('keeps a consumer that goes on fetching', async () => {
    await listen();
    await sleep(800);
    expect(started).toHaveLength(1);
  });

  it('replaces a consumer that stopped fetching, once, even if it never finishes disconnecting', async () => {
    await listen({ hangOnDisconnect: true });
    started[0]!.fetching = false;
    // silent 300 ms, then at most 10 s for the old one's disconnect: it hangs, so the new one starts after that
    await sleep(400);
    expect(started[0]!.disconnects).toBe(1);
    expect(started).toHaveLength(1);
    await sleep(10_500);
    expect(started).toHaveLength(2);
    // the new one fetches: no further replacement
    await sleep(600);
    expect(started).toHaveLength(2);
  }, 20_000);

  it('replaces a crashed consumer once, though the watchdog sees it silent too', async () => {
    await listen();
    const first = started[0]!;
    first.fetching = false;
    first.emit(events.CRASH, { payload: { error: new Error('No broker available') } });
    await sleep(2_600);
    expect(started).toHaveLength(2);
    expect(first.disconnects).toBe(1);
  });

  it('reports once a partition whose oldest record never finishes, with what holds it', async () => {
    let finish: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (finish = resolve));
    await listen({ handler: () => Promise.resolve([Promise.resolve(), stuck]) });
    const warnings: string[] = [];
    jest
      .spyOn(server['logger'], 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    const messages = [{ offset: '7' }, { offset: '8' }];
    await started[0]!.runConfig!.eachBatch({
      batch: {
        topic: 'raw-topic',
        partition: 3,
        messages,
        isEmpty: () => false,
        offsetLag: () => '0',
      },
      resolveOffset: () => undefined,
    });
    await sleep(500);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^raw-topic\[3\] has neither fetched nor committed for \d+ s: 1 records in flight \(oldest offset 8\), 0 to read, not paused$/,
      ),
    ]);
    finish();
  });

  const fetch = (consumer: FakeConsumer, partition: number, offset: string, lag = '0') =>
    consumer.runConfig!.eachBatch({
      batch: {
        topic: 'raw-topic',
        partition,
        messages: [{ offset }],
        isEmpty: () => false,
        offsetLag: () => lag,
      },
      resolveOffset: () => undefined,
    });

  it('replaces a consumer that leaves an owned partition with records to read unfetched, and shows its lag', async () => {
    await listen();
    const first = started[0]!;
    // partition 0 has records past its committed offset; 1 is read up to its end; 2 is another member's
    highs = { 0: '10', 1: '5', 2: '9' };
    committed = { 0: '4', 1: '-1', 2: '-1' };
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0, 1] } } });
    await fetch(first, 1, '4');
    await sleep(150);
    expect(server.ownedPartitions()).toEqual([
      expect.objectContaining({ topic: 'raw-topic', partition: 0, lag: 6, inFlight: 0, paused: false }),
      // its record was handed to the handler, which never settles it
      expect.objectContaining({ topic: 'raw-topic', partition: 1, lag: 0, inFlight: 1, paused: false }),
    ]);
    expect(started).toHaveLength(1);
    await sleep(400);
    expect(first.disconnects).toBe(1);
    expect(started).toHaveLength(2);
  });

  it('says a batch is no longer owned once a rebalance gave its partition away or a new consumer started', async () => {
    const batches: { partition: number; isOwned: () => boolean }[] = [];
    await listen({
      handler: (batch?: unknown) => {
        batches.push(batch as (typeof batches)[number]);
        return Promise.resolve([new Promise<void>(() => undefined)]);
      },
    });
    const first = started[0]!;
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0, 1, 2] } } });
    await fetch(first, 0, '0');
    await fetch(first, 1, '0');
    await fetch(first, 2, '0');
    expect(batches.map((batch) => batch.isOwned())).toEqual([true, true, true]);
    // 1 moves to another member; 2 moves away and comes back: its batch was read again by whoever had it meanwhile
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0, 2] } } });
    expect(batches.map((batch) => batch.isOwned())).toEqual([true, false, false]);
    first.emit(events.CRASH, { payload: { error: new Error('No broker available') } });
    await waitFor(() => started.length === 2, { everyMs: 20, timeoutMs: 5_000 });
    expect(batches[0]!.isOwned()).toBe(false);
  });

  it('keeps a consumer whose partitions are read, or paused, or have nothing to read', async () => {
    let pause: () => () => void = () => () => undefined;
    await listen({
      handler: (batch?: unknown) => {
        pause = (batch as { pause: () => () => void }).pause;
        return Promise.resolve([Promise.resolve()]);
      },
    });
    const first = started[0]!;
    highs = { 0: '100', 1: '100', 2: '3' };
    committed = { 0: '-1', 1: '-1', 2: '3' };
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0, 1, 2] } } });
    // 0 keeps fetching; 1 fetched once, then its writes paused it; 2 is read to its end
    await fetch(first, 1, '0');
    pause();
    for (let offset = 0; offset < 12; offset++) {
      await fetch(first, 0, String(offset));
      await sleep(50);
    }
    expect(started).toHaveLength(1);
  });

  it.each(['fail', 'hang'] as const)(
    'reads watermarks with a new admin client after a read that %s, says so once, then acts',
    async (how) => {
      await listen();
      const said: string[] = [];
      const hear = (message: unknown) => void said.push(String(message));
      jest.spyOn(server['logger'], 'warn').mockImplementation(hear);
      jest.spyOn(server['logger'], 'log').mockImplementation(hear);
      const first = started[0]!;
      highs = { 0: '10' };
      committed = { 0: '4' };
      watermarkReads = how;
      first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
      await sleep(450);
      // a hung read is given up after its timeout (100 ms here), and each failed check uses a new client
      expect(admins).toBeGreaterThan(2);
      const failures = said.filter((line) => line.startsWith('could not read the watermarks'));
      expect(failures).toEqual([
        expect.stringMatching(
          how === 'hang'
            ? /\(1 check\(s\) in a row\): reading watermarks: no answer within 100 ms$/
            : /\(1 check\(s\) in a row\): This server is not the leader/,
        ),
      ]);
      expect(started).toHaveLength(1);
      watermarkReads = 'answer';
      await sleep(500);
      expect(said).toContainEqual(expect.stringMatching(/^read the watermarks again after \d+ failed check/));
      expect(started).toHaveLength(2);
    },
  );
  it('commits a partition that caught up at once, and one with records left to read on the timer', async () => {
    const done: (() => void)[] = [];
    await listen({
      commitIntervalMs: 60_000,
      handler: () => Promise.resolve([new Promise<void>((resolve) => done.push(resolve))]),
    });
    const first = started[0]!;
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0, 1] } } });
    // partition 1 has 3 more records to read, partition 0 none
    await fetch(first, 1, '7', '3');
    await fetch(first, 0, '4');
    done[0]!();
    await sleep(150);
    expect(first.commits).toEqual([]);
    // the last record of partition 0 stored: it commits without waiting a minute for the timer, and what
    // moved elsewhere goes with it
    done[1]!();
    await waitFor(() => first.commits.length > 0, { everyMs: 10, timeoutMs: 5_000 });
    expect(first.commits).toEqual(['0:5', '1:8']);
  });

  it.each(['taken', 'refused', 'unanswered'] as const)(
    'saves what the records counted before committing them, and commits when the save is %s',
    async (how) => {
      // what the processor does: a record's counters are added before its promise settles
      let counted = 0;
      await listen({
        commitIntervalMs: 60_000,
        handler: () => Promise.resolve([Promise.resolve().then(() => void counted++)]),
      });
      jest.spyOn(server['logger'], 'warn').mockImplementation(() => undefined);
      const saves: string[] = [];
      const first = started[0]!;
      server.saveBeforeCommit(() => {
        saves.push(`counted ${counted}, commits ${first.commits.length}`);
        return how === 'taken'
          ? Promise.resolve(true)
          : how === 'refused'
            ? Promise.resolve(false)
            : new Promise<boolean>(() => undefined);
      });
      first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
      await fetch(first, 0, '4');
      await waitFor(() => first.commits.length > 0, { everyMs: 10, timeoutMs: 2_000 });
      expect(saves[0]).toBe('counted 1, commits 0');
      expect(first.commits).toEqual(['0:5']);
    },
  );

  it('commits again a partition whose group offset went back behind what it committed (a late commit of its last owner)', async () => {
    await listen({ handler: () => Promise.resolve([Promise.resolve()]) });
    const said: string[] = [];
    jest
      .spyOn(server['logger'], 'warn')
      .mockImplementation((message: unknown) => void said.push(String(message)));
    const first = started[0]!;
    // the group's offset is what this process commits: nothing to send twice
    highs = { 0: '5' };
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
    await fetch(first, 0, '4');
    await sleep(300);
    expect(first.commits).toEqual(['0:5']);
    expect(said).toEqual([]);
    // another member's commit, retried by kafkajs after the rebalance, lands after ours
    committed = { 0: '2' };
    await sleep(200);
    expect(said).toContainEqual(
      "raw-topic[0]: the group's committed offset 2 is behind the 5 this process committed (a late commit of its last owner?); committing again",
    );
    expect(first.commits.slice(0, 2)).toEqual(['0:5', '0:5']);
    expect(started).toHaveLength(1);
  });
  it.each(['refused', 'unanswered'] as const)(
    'starts a new consumer when its commits are %s for a while, and keeps it when they are taken again',
    async (how) => {
      await listen({ handler: () => Promise.resolve([Promise.resolve()]) });
      const said: string[] = [];
      const hear = (message: unknown) => void said.push(String(message));
      jest.spyOn(server['logger'], 'warn').mockImplementation(hear);
      jest.spyOn(server['logger'], 'error').mockImplementation(hear);
      const first = started[0]!;
      first.commitsGo = how;
      first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
      await fetch(first, 0, '4');
      await sleep(250);
      // failing, not for long yet: the consumer stays, the offset waits
      expect(started).toHaveLength(1);
      expect(said).toContainEqual(expect.stringMatching(/^committing offsets failed/));
      await sleep(600);
      expect(said).toContainEqual(
        expect.stringMatching(/^commits have failed for \d+ s \(.+\); starting a new consumer$/),
      );
      expect(started).toHaveLength(2);
    },
  );

  it('keeps a consumer whose commits fail for a moment only', async () => {
    await listen({ handler: () => Promise.resolve([Promise.resolve()]) });
    jest.spyOn(server['logger'], 'warn').mockImplementation(() => undefined);
    const first = started[0]!;
    first.commitsGo = 'refused';
    first.emit(events.GROUP_JOIN, { payload: { memberAssignment: { 'raw-topic': [0] } } });
    await fetch(first, 0, '4');
    await sleep(200);
    first.commitsGo = 'taken';
    await sleep(100);
    expect(first.commits).toEqual(['0:5']);
    // a later failure counts from itself, not from the first one
    first.commitsGo = 'refused';
    await fetch(first, 0, '5');
    await sleep(300);
    expect(started).toHaveLength(1);
  });
});
