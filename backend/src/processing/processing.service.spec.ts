import { errors, types } from 'cassandra-driver';
import type { KafkaMessage, Message } from 'kafkajs';
import type { AppConfig } from '#src/config/index.js';
import type { KafkaProducerService } from '#src/kafka/index.js';
import type { MetricsService } from '#src/metrics/index.js';
import type { TracingService } from '#src/tracing/index.js';
import type { KafkaBatch } from './kafka-batch.server.js';
import type { ProcessorStatus } from './processor-status.js';
import { ProcessingService } from './processing.service.js';
import type { RecordStream } from './record-stream.js';
import type { RunCountersBuffer } from './run-counters.buffer.js';

const DEAD_LETTERS = 'dead-letters';

/** The service with recording collaborators; rows are strings, a row "bad" is one the store refuses. */
function harness(options: { writeBatchRows: number; transientBatchFailures?: number }) {
  const sent: { topic: string; messages: Message[] }[] = [];
  const producer = {
    send: (topic: string, messages: Message[]) => {
      sent.push({ topic, messages });
      return Promise.resolve([]);
    },
  } as unknown as KafkaProducerService;
  const counted: unknown[] = [];
  const counters = { add: (runId: string | null, delta: unknown) => counted.push([runId, delta]) };
  const config = {
    processor: { writeConcurrency: 4, maxQueuedWrites: 1_000, writeBatchRows: options.writeBatchRows },
    kafka: { topics: { deadLetters: DEAD_LETTERS } },
  } as unknown as AppConfig;
  const noop = () => undefined;
  const handedOver: number[] = [];
  const metrics = {
    recordsHandedOver: (_stream: string, n: number) => void handedOver.push(n),
    writeFailed: noop,
    observeWrite: noop,
    recordsStored: noop,
    recordsDeadLettered: noop,
    observeIngestToStored: noop,
  } as unknown as MetricsService;
  const status = { writeSucceeded: noop, writeFailed: noop } as unknown as ProcessorStatus;
  const tracing = { enabled: false } as unknown as TracingService;
  const service = new ProcessingService(
    producer,
    counters as unknown as RunCountersBuffer,
    config,
    metrics,
    status,
    tracing,
  );

  const stored: string[] = [];
  const requests: string[][] = [];
  let transient = options.transientBatchFailures ?? 0;
  const refuse = (rows: readonly string[]) => {
    if (rows.includes('bad')) {
      throw new errors.ResponseError(types.responseErrorCodes.invalid, 'value out of range');
    }
  };
  const stream: RecordStream<string> = {
    name: 'users',
    decode: (message) => ({ ok: true, row: message.value!.toString() }),
    refusal: () => null,
    write: (row) => {
      requests.push([row]);
      refuse([row]);
      stored.push(row);
      return Promise.resolve();
    },
    writeBatch: (rows) => {
      requests.push([...rows]);
      if (transient > 0) {
        transient--;
        return Promise.reject(new errors.OperationTimedOutError('timed out'));
      }
      refuse(rows);
      stored.push(...rows);
      return Promise.resolve();
    },
  };
  let pauses = 0;
  const batchOf = (rows: string[], owned: () => boolean = () => true): KafkaBatch => ({
    topic: 'raw',
    partition: 0,
    messages: rows.map(
      (row, i) => ({ offset: String(i), value: Buffer.from(row), headers: {} }) as unknown as KafkaMessage,
    ),
    pause: () => {
      pauses++;
      return () => undefined;
    },
    isRunning: () => true,
    isOwned: owned,
  });
  return { service, stream, batchOf, stored, requests, sent, counted, handedOver, pauses: () => pauses };
}

const rows = (n: number, bad?: number) => Array.from({ length: n }, (_, i) => (i === bad ? 'bad' : `r${i}`));

describe('ProcessingService writes', () => {
  it('stores the rows of a batch a few to a request', async () => {
    const { service, stream, batchOf, stored, requests } = harness({ writeBatchRows: 3 });
    await Promise.all(service.accept(batchOf(rows(7)), stream));
    expect(requests.map((request) => request.length)).toEqual([3, 3, 1]);
    expect(stored.sort()).toEqual(rows(7).sort());
  });

  it('writes row by row when asked for one row a request', async () => {
    const { service, stream, batchOf, requests } = harness({ writeBatchRows: 1 });
    await Promise.all(service.accept(batchOf(rows(3)), stream));
    expect(requests).toEqual([['r0'], ['r1'], ['r2']]);
  });

  it('writes a refused batch again row by row and dead-letters only the refused row', async () => {
    const { service, stream, batchOf, stored, requests, sent } = harness({ writeBatchRows: 3 });
    const outcomes = await Promise.all(service.accept(batchOf(rows(6, 4)), stream));
    expect(outcomes).toHaveLength(6);
    // [r0 r1 r2] stored together; [r3 bad r5] refused, then r3, bad, r5 alone
    expect(requests).toEqual([['r0', 'r1', 'r2'], ['r3', 'bad', 'r5'], ['r3'], ['bad'], ['r5']]);
    expect(stored.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r5']);
    const letters = sent.filter(({ topic }) => topic === DEAD_LETTERS).flatMap(({ messages }) => messages);
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(String(letters[0]!.value)) as { offset: string; reason: string };
    expect(letter.offset).toBe('4');
    expect(letter.reason).toMatch(/^the store refused the record: value out of range/);
  });

  it('leaves the rows it has not written yet of a partition it lost to its next owner, and commits none', async () => {
    const { service, stream, batchOf, stored, requests, sent, counted, handedOver } = harness({
      writeBatchRows: 2,
    });
    let owned = true;
    // five requests of two rows for four workers: the fifth waits for a worker, and the partition is gone by then
    const receipt = service.accept(
      batchOf(rows(10), () => owned),
      stream,
    );
    owned = false;
    const outcomes = await Promise.allSettled(receipt);
    expect(requests).toHaveLength(4);
    expect(stored.sort()).toEqual(rows(8).sort());
    // the batch's records settle as failed, so the transport commits none of them (the next owner rewrites them)
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(String((outcomes[9] as PromiseRejectedResult).reason)).toMatch(
      /raw\[0\] is no longer this process's/,
    );
    expect(counted).toEqual([]);
    expect(sent).toEqual([]);
    expect(handedOver).toEqual([2]);
  });

  it('stops retrying a transient failure once its partition moved to another member', async () => {
    const { service, stream, batchOf, stored, requests, pauses } = harness({
      writeBatchRows: 4,
      transientBatchFailures: 1,
    });
    let checks = 0;
    // owned when its write starts, gone when the write has failed
    const outcomes = await Promise.allSettled(
      service.accept(
        batchOf(rows(4), () => checks++ === 0),
        stream,
      ),
    );
    expect(requests).toEqual([rows(4)]);
    expect(stored).toEqual([]);
    expect(outcomes.map(({ status }) => status)).toEqual(Array(4).fill('rejected'));
    expect(pauses()).toBe(0);
  });

  it('retries a batch that failed for a transient reason as a whole, pausing its partition', async () => {
    const { service, stream, batchOf, stored, requests, sent, pauses } = harness({
      writeBatchRows: 4,
      transientBatchFailures: 1,
    });
    await Promise.all(service.accept(batchOf(rows(4)), stream));
    expect(requests).toEqual([rows(4), rows(4)]);
    expect(stored.sort()).toEqual(rows(4).sort());
    expect(sent.filter(({ topic }) => topic === DEAD_LETTERS)).toHaveLength(0);
    expect(pauses()).toBe(1);
  });
});
