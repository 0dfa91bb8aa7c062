import type { Consumer, ConsumerConfig, ConsumerRunConfig, EachBatchPayload, Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { ConsumerRestarts, RestartingConsumer } from './restarting-consumer.js';

interface FakeConsumer {
  config: ConsumerConfig;
  calls: string[];
  emit(event: string, payload?: unknown): void;
}

/**
 * A kafkajs stand-in that records the consumers asked of it; each connects, subscribes and runs at once, and
 * never fetches unless told to. `onRun` sees the run config (to call its handler); `hangDisconnect` makes the
 * first consumer's disconnect never settle, as a stuck kafkajs consumer's can.
 */
function fakeKafka({
  onRun = () => undefined,
  hangDisconnect = false,
}: { onRun?: (run: ConsumerRunConfig) => void; hangDisconnect?: boolean } = {}) {
  const made: FakeConsumer[] = [];
  const kafka = {
    consumer(config: ConsumerConfig) {
      const calls: string[] = [];
      const listeners = new Map<string, ((event: unknown) => void)[]>();
      made.push({
        config,
        calls,
        emit: (event, payload) => listeners.get(event)?.forEach((listener) => listener({ payload })),
      });
      const call = (name: string) => () => {
        calls.push(name);
        return Promise.resolve();
      };
      return {
        events: { GROUP_JOIN: 'join', CRASH: 'crash', FETCH_START: 'fetch' },
        on: (event: string, listener: (event: unknown) => void) =>
          listeners.set(event, [...(listeners.get(event) ?? []), listener]),
        connect: call('connect'),
        subscribe: call('subscribe'),
        run: (run: ConsumerRunConfig) => {
          calls.push('run');
          onRun(run);
          return Promise.resolve();
        },
        disconnect: () => {
          calls.push('disconnect');
          return hangDisconnect && made[0]!.calls === calls
            ? new Promise(() => undefined)
            : Promise.resolve();
        },
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, made };
}

const options = {
  name: 'test',
  consumer: { groupId: 'group', retry: { retries: 3 } },
  topic: 'topic',
  fromBeginning: true,
  run: { eachBatch: () => Promise.resolve() },
};

describe('RestartingConsumer', () => {
  it('runs a consumer with kafkajs restarts turned off, keeping the other retry settings', async () => {
    const { kafka, made } = fakeKafka();
    const consumer = new RestartingConsumer(kafka, options);
    consumer.start();
    await consumer.stop();
    expect(made).toHaveLength(1);
    expect(made[0]!.config.retry?.retries).toBe(3);
    expect(made[0]!.config.metadataMaxAge).toBe(10_000);
    await expect(made[0]!.config.retry?.restartOnFailure?.(new Error('crash'))).resolves.toBe(false);
    expect(made[0]!.calls).toEqual(['connect', 'subscribe', 'run', 'disconnect']);
  });

  it('a start that comes after stop (boot work that finished after the app closed) starts nothing', async () => {
    const { kafka, made } = fakeKafka();
    const consumer = new RestartingConsumer(kafka, options);
    await consumer.stop();
    consumer.start();
    expect(made).toHaveLength(0);
  });

  it('replaces a consumer that stopped fetching without a crash, once, and ignores its late crash', async () => {
    const { kafka, made } = fakeKafka({ hangDisconnect: true });
    // thresholds far above the loop's 20 ms steps, so that a busy machine's slow timers do not look stuck
    const consumer = new RestartingConsumer(kafka, { ...options, stuckAfterMs: 1_000, restartDelayMs: 10 });
    consumer.start();
    // its disconnect never settles: the replacement goes on without it after 10 s; the new one fetches
    const deadline = Date.now() + 12_500;
    while (Date.now() < deadline) {
      made[1]?.emit('fetch');
      await sleep(20);
    }
    expect(made).toHaveLength(2);
    expect(made[1]!.calls).toEqual(['connect', 'subscribe', 'run']);
    // kafkajs reports the crash once its disconnect is done: the consumer was replaced already
    made[0]!.emit('crash', { error: new Error('connection lost') });
    await sleep(100);
    expect(made).toHaveLength(2);
    await consumer.stop();
  }, 20_000);

  it('keeps a consumer whose handler holds the fetch loop for long (a backfill), and one that fetches', async () => {
    let release: () => void = () => undefined;
    const { kafka, made } = fakeKafka({
      onRun: (run) => void run.eachBatch!({} as EachBatchPayload).then(() => undefined),
    });
    const consumer = new RestartingConsumer(kafka, {
      ...options,
      stuckAfterMs: 300,
      restartDelayMs: 10,
      run: { eachBatch: () => new Promise<void>((resolve) => (release = resolve)) },
    });
    consumer.start();
    await sleep(1_000);
    expect(made).toHaveLength(1);
    release();
    for (let i = 0; i < 8; i++) {
      made[0]!.emit('fetch');
      await sleep(50);
    }
    expect(made).toHaveLength(1);
    await consumer.stop();
  });
});

describe('ConsumerRestarts', () => {
  /** Consumers as the policy sees them: events to emit, a disconnect counted. */
  const fakeConsumer = () =>
    Object.assign(new EventEmitter(), {
      events: { CRASH: 'crash', FETCH_START: 'fetch' },
      disconnects: 0,
      disconnect() {
        this.disconnects++;
        return Promise.resolve();
      },
    });
  type Fake = ReturnType<typeof fakeConsumer>;

  function policy({ failStarts = 0, delayMs = 20 } = {}) {
    const consumers: Fake[] = [];
    const logger = new Logger('test');
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const restarts = new ConsumerRestarts({
      logger,
      delayMs,
      current: () => consumers.at(-1) as unknown as Consumer | undefined,
      start: () => {
        const consumer = fakeConsumer();
        consumers.push(consumer);
        restarts.watch(consumer as unknown as Consumer);
        // the first start works, the next `failStarts` fail
        const index = consumers.length - 1;
        return index >= 1 && index <= failStarts ? Promise.reject(new Error('no broker')) : Promise.resolve();
      },
    });
    return { restarts, consumers };
  }

  it('replaces a crashed consumer once after the delay, however often it is reported', async () => {
    const { restarts, consumers } = policy();
    await restarts.first();
    const first = consumers[0]!;
    first.emit('crash', { payload: { error: new Error('lost') } });
    first.emit('crash', { payload: { error: new Error('lost again') } });
    expect(restarts.replace(first as unknown as Consumer, 'stuck')).toBe(false);
    await sleep(60);
    expect(consumers).toHaveLength(2);
    expect(first.disconnects).toBe(1);
    // a late report of the replaced consumer changes nothing
    first.emit('crash', { payload: { error: new Error('late') } });
    await sleep(60);
    expect(consumers).toHaveLength(2);
    restarts.stop();
  });

  it('tries a start that failed again after the delay, until one starts', async () => {
    const { restarts, consumers } = policy({ failStarts: 2 });
    await restarts.first();
    expect(restarts.replace(consumers[0]! as unknown as Consumer, 'commits fail', 0)).toBe(true);
    await sleep(150);
    expect(consumers).toHaveLength(4);
    restarts.stop();
  });

  it('replaces nothing once stopped, pending replacements included', async () => {
    const { restarts, consumers } = policy();
    await restarts.first();
    consumers[0]!.emit('crash', { payload: { error: new Error('lost') } });
    restarts.stop();
    await sleep(60);
    expect(consumers).toHaveLength(1);
    expect(restarts.replace(consumers[0]! as unknown as Consumer, 'stuck', 0)).toBe(false);
  });
});
