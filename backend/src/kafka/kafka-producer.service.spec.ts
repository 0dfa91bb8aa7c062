import { type Kafka, type Message, Partitioners } from 'kafkajs';
import type { AppConfig } from '#src/config/index.js';
import {
  bulkSendError,
  chunkByBytes,
  KafkaProducerService,
  MAX_REQUEST_BYTES,
  wireBytes,
  pinPartitions,
  sendAcknowledged,
} from './kafka-producer.service.js';

const record = (valueBytes: number): Message => ({
  key: '2af7c9d1-6e08-4b35-9c14-f8d3a0e5b762',
  value: Buffer.alloc(valueBytes),
  headers: { 'x-run-id': 'run' },
});

describe('chunkByBytes', () => {
  it('cuts requests by bytes, in order, each under the budget', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => record(1_000 + (i % 400)));
    const chunks = chunkByBytes(messages);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) {
      expect(chunk.reduce((sum, message) => sum + wireBytes(message), 0)).toBeLessThanOrEqual(
        MAX_REQUEST_BYTES,
      );
    }
    // full chunks, not a fixed count: 1.2 kB records fill 512 KiB with about 400 of them
    expect(chunks.length).toBeLessThan(7);
  });

  it('sends a record over the budget alone rather than not at all', () => {
    const chunks = chunkByBytes([record(10), record(MAX_REQUEST_BYTES), record(10)]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });

  it('counts string values by their UTF-8 bytes, and keyless records', () => {
    expect(wireBytes({ key: null, value: 'ü' })).toBe(wireBytes({ key: null, value: 'ab' }));
    expect(chunkByBytes([])).toEqual([]);
  });
});

const config = { kafka: { clientId: 'test', brokers: ['127.0.0.1:1'] } } as AppConfig;

describe('bulkSendError', () => {
  it('names the innermost reasons of a failed send, not only the wrapper', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:19092');
    const wrapped = Object.assign(new Error('Producing messages failed.'), {
      errors: [Object.assign(new Error('Connection failed.'), { cause: refused }), refused],
    });
    const error = bulkSendError(wrapped);
    expect(error.message).toBe('Producing messages failed. connect ECONNREFUSED 127.0.0.1:19092');
    expect(error.cause).toBe(wrapped);
    expect(bulkSendError(new Error('Topic users not found')).message).toBe('Topic users not found');
  });
});

const users = Array.from({ length: 60 }, (_, i) => ({ key: `user-${i}`, value: `{"n":${i}}` }));

describe('sendAcknowledged', () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    leader: partitionId,
    replicas: [partitionId],
    isr: [partitionId],
    partitionErrorCode: 0,
  }));

  /**
   * A producer as kafkajs is after a leader moved mid-send: it places every record with the partitioner it was
   * given, and answers for the partitions it wrote, leaving out those in `lose` (one entry per call).
   */
  function producerLosing(...lose: number[][]) {
    const partitioner = pinPartitions();
    const calls: Message[][] = [];
    const written: Message[] = [];
    const producer = {
      send: async ({ topic, messages }: { topic: string; messages: Message[] }) => {
        await Promise.resolve();
        calls.push(messages);
        const lost = new Set(lose[calls.length - 1] ?? []);
        const partitions = new Set<number>();
        for (const message of messages) {
          const partition = partitioner({ topic, partitionMetadata, message });
          if (lost.has(partition)) {
            continue;
          }
          partitions.add(partition);
          written.push(message);
        }
        return [...partitions].map((partition) => ({ topicName: topic, partition, errorCode: 0 }));
      },
    };
    return { producer, calls, written };
  }

  it('sends again, to the same partition, the records of a partition no broker acknowledged', async () => {
    const { producer, calls, written } = producerLosing([1]);
    const resent: [number, number[]][] = [];
    const answers = await sendAcknowledged(producer, 'users', users, (records, partitions) =>
      resent.push([records, partitions]),
    );
    const onPartition1 = calls[0]!.filter((message) => message.partition === 1);
    expect(onPartition1.length).toBeGreaterThan(0);
    expect(calls[1]).toEqual(onPartition1);
    expect(resent).toEqual([[onPartition1.length, [1]]]);
    // every user written once, each where kafkajs's own placement put it
    expect(written.map(({ key }) => key).sort()).toEqual(users.map(({ key }) => key).sort());
    const place = Partitioners.DefaultPartitioner();
    for (const message of written) {
      expect(message.partition).toBe(
        place({ topic: 'users', partitionMetadata, message: { ...message, partition: undefined } }),
      );
    }
    expect(answers.map(({ partition }) => partition).sort()).toEqual([0, 1, 2]);
    // the caller's messages are left as they were: a partition belongs to one topic
    expect(users.every((message) => !('partition' in message))).toBe(true);
  });

  it('resolves after one send when every partition is acknowledged', async () => {
    const { producer, calls } = producerLosing();
    await sendAcknowledged(producer, 'users', users);
    expect(calls).toHaveLength(1);
  });

  it('gives up with a clear error when a partition is never acknowledged', async () => {
    const { producer, calls } = producerLosing(...Array.from({ length: 10 }, () => [2]));
    await expect(sendAcknowledged(producer, 'users', users)).rejects.toThrow(
      /Kafka acknowledged none of \d+ records for users partitions 2/,
    );
    expect(calls).toHaveLength(6);
  });
});

describe('KafkaProducerService', () => {
  /** Producers that fail every send with `error` until the n-th producer, which writes everything. */
  function kafkaFailingUntil(healthy: number, error: Error) {
    const made: { disconnected: boolean }[] = [];
    const kafka = {
      producer: () => {
        const state = { disconnected: false };
        made.push(state);
        const index = made.length;
        return {
          connect: () => Promise.resolve(),
          disconnect: () => {
            state.disconnected = true;
            return Promise.resolve();
          },
          send: ({ topic, messages }: { topic: string; messages: Message[] }) => {
            if (index < healthy) {
              return Promise.reject(error);
            }
            // one partition: every record placed on it, as the producer's partitioner would
            for (const message of messages) {
              message.partition ??= 0;
            }
            return Promise.resolve(
              [...new Set(messages.map((message) => message.partition!))].map((partition) => ({
                topicName: topic,
                partition,
                errorCode: 0,
              })),
            );
          },
        };
      },
    };
    return { kafka: kafka as unknown as Kafka, made };
  }

  const outOfOrder = Object.assign(new Error('The broker received an out of order sequence number'), {
    cause: { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' },
  });

  it('replaces an idempotent producer whose sequence numbers the broker no longer accepts', async () => {
    const { kafka, made } = kafkaFailingUntil(2, outOfOrder);
    const service = new KafkaProducerService(kafka, config);
    await expect(service.send('users', users.slice(0, 3))).rejects.toThrow(/out of order/);
    // the caller's retry gets a new producer, and with it a new producer id
    await expect(service.send('users', users.slice(0, 3))).resolves.toHaveLength(1);
    expect(made.map(({ disconnected }) => disconnected)).toEqual([true, false]);
  });

  it('keeps its producer through errors that a retry may get past', async () => {
    const { kafka, made } = kafkaFailingUntil(2, new Error('Connection error: connect ECONNREFUSED'));
    const service = new KafkaProducerService(kafka, config);
    await expect(service.send('users', users.slice(0, 3))).rejects.toThrow(/ECONNREFUSED/);
    await expect(service.send('users', users.slice(0, 3))).rejects.toThrow(/ECONNREFUSED/);
    expect(made).toHaveLength(1);
  });
});
