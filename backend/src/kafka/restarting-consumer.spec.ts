import type { ConsumerConfig, Kafka } from 'kafkajs';
import { RestartingConsumer } from './restarting-consumer.js';

/** A kafkajs stand-in that records the consumers asked of it; each connects, subscribes and runs at once. */
function fakeKafka() {
  const made: { config: ConsumerConfig; calls: string[] }[] = [];
  const kafka = {
    consumer(config: ConsumerConfig) {
      const calls: string[] = [];
      made.push({ config, calls });
      const call = (name: string) => () => {
        calls.push(name);
        return Promise.resolve();
      };
      return {
        events: { GROUP_JOIN: 'join', CRASH: 'crash' },
        on: () => undefined,
        connect: call('connect'),
        subscribe: call('subscribe'),
        run: call('run'),
        disconnect: call('disconnect'),
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
});
