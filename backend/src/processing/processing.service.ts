import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { KafkaMessage, Message } from 'kafkajs';
import { DEAD_LETTER_VALUE_MAX, type DeadLetter, RawUserHeaders } from '@userstream/contracts';
import { backoff, retry } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { KafkaProducerService } from '#src/kafka/index.js';
import { type DeadLetterReason, MetricsService, type StreamName } from '#src/metrics/index.js';
import { Batcher } from './batcher.js';
import type { BatchReceipt, KafkaBatch } from './kafka-batch.server.js';
import { header } from './message-values.js';
import type { KafkaPosition, RecordStream } from './record-stream.js';
import { ProcessorStatus } from './processor-status.js';
import { RunCountersBuffer } from './run-counters.buffer.js';
import { type Slicing, StoreGroup } from './store-group.js';
import { WritePool } from './write-pool.js';
import { TracingService } from '#src/tracing/index.js';
import { describeWriteError, isPermanentWriteError, writeErrorKind } from '#src/cassandra/index.js';

/** Sends to the processed and dead-letter topics: up to this many records per request. */
const PUBLISH_MAX_ITEMS = 500;
/**
 * Dead letters come one at a time: what came in 20 ms goes out together. Stored rows come a batch at a time,
 * so they wait for no more than the batches finishing in the same turn of the event loop.
 */
const DEAD_LETTER_DELAY_MS = 20;
const STORED_DELAY_MS = 0;
/**
 * Records' bytes per write request: Cassandra logs a warning for every batch over 5 KiB
 * (`batch_size_warn_threshold`), and a record's JSON is about the size of its row.
 */
const WRITE_BATCH_BYTES = 4_608;
const ROW_BY_ROW: Slicing = { rows: 1, bytes: 0 };

/**
 * The stream processor's rules, shared by every input topic: decode and validate inline, then hand each row to
 * one process-wide write pool; a row the store can never take is dead-lettered with the reason, a transient
 * failure is retried with backoff while its partition is paused. A record's promise settles once it is stored
 * and published downstream (or dead-lettered), which is when the transport may commit its offset; the valid
 * records of a batch settle together (see StoreGroup).
 */
@Injectable()
export class ProcessingService implements OnApplicationShutdown {
  private readonly logger = new Logger(ProcessingService.name);
  private readonly pool: WritePool;
  private readonly slicing: Slicing;
  private readonly deadLetters: Batcher<Message>;
  private readonly afterStored = new Map<RecordStream<unknown>, Batcher<unknown>>();
  private running = true;
  /** The last ingested-at header read and its time: a page of records shares one, so it is parsed once. */
  private ingestedAt = { text: '', ms: NaN };

  constructor(
    private readonly producer: KafkaProducerService,
    private readonly counters: RunCountersBuffer,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly status: ProcessorStatus,
    private readonly tracing: TracingService,
  ) {
    const { writeConcurrency, maxQueuedWrites, writeBatchRows } = config.processor;
    this.pool = new WritePool(writeConcurrency, maxQueuedWrites);
    this.slicing = { rows: writeBatchRows, bytes: WRITE_BATCH_BYTES };
    this.deadLetters = this.batcher(DEAD_LETTER_DELAY_MS, (letters) =>
      this.producer.send(this.config.kafka.topics.deadLetters, letters).then(() => undefined),
    );
  }

  /** The transport has drained by now (Nest closes it first): rows still failing stay uncommitted. */
  onApplicationShutdown(): void {
    this.running = false;
  }

  /** Takes a batch without waiting for its writes: one promise per record (the transport commits on them). */
  accept<Row>(batch: KafkaBatch, stream: RecordStream<Row>): BatchReceipt {
    const now = new Date();
    const slicing = stream.writeBatch ? this.slicing : ROW_BY_ROW;
    const group = new StoreGroup(batch, stream, slicing, (g, start, end) => this.storeSlice(g, start, end));
    const receipt = new Array<Promise<unknown>>(batch.messages.length);
    let refused = 0;
    batch.messages.forEach((message, i) => {
      const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
      const decoded = stream.decode(message, position, now);
      const refusal = decoded.ok ? stream.refusal(decoded.row) : decoded.reason;
      if (refusal !== null || !decoded.ok) {
        const runId = header(message, RawUserHeaders.runId);
        receipt[i] = this.deadLetter(stream.name, 'invalid', message, position, runId, refusal ?? '');
        refused++;
      } else {
        group.push(decoded.row, message);
        receipt[i] = group.settled;
      }
    });
    this.pool.add(group);
    // backpressure: stop fetching this partition while the pool's queue is long
    if (this.pool.overHighWater) {
      void this.pool.belowLowWater().then(batch.pause());
    }
    if (this.tracing.enabled) {
      this.traceBatch(batch, stream.name, receipt, () => ({
        stored: group.size - group.deadLettered,
        deadLettered: refused + group.deadLettered,
      }));
    }
    return receipt;
  }

  /** One span per batch, ended once every record of it is stored or dead-lettered (or failed). */
  private traceBatch(
    batch: KafkaBatch,
    stream: StreamName,
    receipt: Promise<unknown>[],
    outcome: () => { stored: number; deadLettered: number },
  ): void {
    const span = this.tracing.startSpan('processor.store_batch', {
      'messaging.destination.name': batch.topic,
      'messaging.destination.partition.id': String(batch.partition),
      'userstream.stream': stream,
      'userstream.records': receipt.length,
    });
    void Promise.allSettled(receipt).then((results) => {
      const { stored, deadLettered } = outcome();
      span.setAttributes({
        'userstream.records_stored': stored,
        'userstream.records_dead_lettered': deadLettered,
      });
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) {
        this.tracing.fail(span, failed.reason);
      } else {
        span.end();
      }
    });
  }

  /**
   * Rows `start` to `end` of the group, in one pool slot: stored together in one request when the stream can,
   * else (or when that request failed for good, to find the row the store refuses) one by one. The last slice of
   * the group to finish settles the group.
   */
  private async storeSlice<Row>(group: StoreGroup<Row>, start: number, end: number): Promise<void> {
    try {
      const { batch } = group;
      if (!batch.isOwned()) {
        // rows queued before a rebalance took the partition away: its new owner writes them
        this.metrics.recordsHandedOver(group.stream.name, end - start);
        throw new Error(`${batch.topic}[${batch.partition}] is no longer this process's`);
      }
      if (end - start === 1 || !(await this.storedTogether(group, start, end))) {
        for (let index = start; index < end; index++) {
          await this.storeRow(group, index);
        }
      }
    } catch (error) {
      // when stopping or no longer the partition's owner: the group's records stay uncommitted, for its next owner
      group.fail(error);
      return;
    }
    if (group.rowsDone(end - start)) {
      group.settle(this.finish(group));
    }
  }

  /**
   * Rows `start` to `end` in one unlogged batch (one request instead of one per row; each row is still an
   * idempotent upsert of its own partition). Transient errors are retried; false when the store refused the
   * batch, so the rows go again one by one and only the refused one is dead-lettered.
   */
  private async storedTogether<Row>(group: StoreGroup<Row>, start: number, end: number): Promise<boolean> {
    const { batch, stream } = group;
    const rows = group.rows.slice(start, end);
    const write = () => this.write(stream.name, () => stream.writeBatch!(rows));
    try {
      await write();
      return true;
    } catch (error) {
      return (await this.writeAgain(batch, write, error)) === null;
    }
  }

  /** Row `index` of the group: written, or dead-lettered when the store can never take it. */
  private async storeRow<Row>(group: StoreGroup<Row>, index: number): Promise<void> {
    const { batch, stream } = group;
    const row = group.rows[index]!;
    const write = () => this.write(stream.name, () => stream.write(row));
    try {
      await write();
    } catch (error) {
      const failure = await this.writeAgain(batch, write, error);
      if (failure !== null) {
        group.refuse(index, this.deadLetterRefused(stream.name, group.messages[index]!, batch, failure));
      }
    }
  }

  /** Every row of the group written or dead-lettered: publish what was stored, then count it. */
  private async finish<Row>(group: StoreGroup<Row>): Promise<void> {
    const { stream } = group;
    const stored = group.storedRows();
    await Promise.all([this.published(stream, stored), ...group.deadLetters]);
    let runId: string | null = null;
    let count = 0;
    for (const message of group.storedMessages()) {
      // a page of records shares its run: one counter update per run met
      const id = header(message, RawUserHeaders.runId);
      if (id !== runId) {
        this.counters.add(runId, { processed: count, stored: count });
        runId = id;
        count = 0;
      }
      count++;
      const ingestedAt = this.ingestedAtMs(message);
      if (!Number.isNaN(ingestedAt)) {
        this.metrics.observeIngestToStored(stream.name, ingestedAt);
      }
    }
    this.counters.add(runId, { processed: count, stored: count });
    this.metrics.recordsStored(stream.name, stored.length);
  }

  /** Dead-letters a record whose row the store refused for good. */
  private deadLetterRefused(
    stream: StreamName,
    message: KafkaMessage,
    batch: KafkaBatch,
    failure: string,
  ): Promise<unknown> {
    const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
    const runId = header(message, RawUserHeaders.runId);
    const reason = `the store refused the record: ${failure}`;
    return this.deadLetter(stream, 'store_refused', message, position, runId, reason);
  }

  /** The record's ingested-at header in epoch ms, NaN when absent or unreadable (the seed tutorial's records). */
  private ingestedAtMs(message: KafkaMessage): number {
    const text = header(message, RawUserHeaders.ingestedAt);
    if (text === null) {
      return NaN;
    }
    if (text !== this.ingestedAt.text) {
      this.ingestedAt = { text, ms: Date.parse(text) };
    }
    return this.ingestedAt.ms;
  }

  /**
   * After a first failed write: null once written, the reason when the error is permanent. Transient errors are
   * retried with backoff while the partition is paused.
   */
  private async writeAgain(
    batch: KafkaBatch,
    write: () => Promise<void>,
    first: unknown,
  ): Promise<string | null> {
    let resume: (() => void) | undefined;
    try {
      // attempt 1 is the write that already failed
      await retry(
        async (attempt) => {
          if (attempt === 1) {
            throw first;
          }
          await write();
        },
        {
          delayMs: backoff.exponential(200, 30_000, 'half'),
          retryable: (error) =>
            !isPermanentWriteError(error) && this.running && batch.isRunning() && batch.isOwned(),
          onRetry: (error, attempt, delayMs) => {
            resume ??= batch.pause();
            if (attempt === 1 || attempt % 10 === 0) {
              this.logger.warn(
                `writing rows of ${batch.topic}[${batch.partition}] failed (attempt ${attempt}), ` +
                  `retrying in ${Math.round(delayMs)} ms: ${describeWriteError(error)}`,
              );
            }
          },
        },
      );
      return null;
    } catch (error) {
      if (isPermanentWriteError(error)) {
        return describeWriteError(error);
      }
      throw error;
    } finally {
      resume?.();
    }
  }

  /** One write request, timed and counted. */
  private async write(stream: StreamName, request: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await request();
      this.status.writeSucceeded();
    } catch (error) {
      this.metrics.writeFailed(stream, writeErrorKind(error));
      // a refused row says nothing about the store's health; only transient failures count against it
      if (!isPermanentWriteError(error)) {
        this.status.writeFailed();
      }
      throw error;
    } finally {
      this.metrics.observeWrite(stream, (performance.now() - started) / 1000);
    }
  }

  private published<Row>(stream: RecordStream<Row>, rows: readonly Row[]): Promise<void> {
    if (!stream.afterStored || rows.length === 0) {
      return Promise.resolve();
    }
    let batcher = this.afterStored.get(stream);
    if (!batcher) {
      batcher = this.batcher(STORED_DELAY_MS, (rows) => stream.afterStored!(rows as Row[]));
      this.afterStored.set(stream, batcher);
    }
    return batcher.addAll(rows);
  }

  private async deadLetter(
    stream: StreamName,
    why: DeadLetterReason,
    message: KafkaMessage,
    position: KafkaPosition,
    runId: string | null,
    reason: string,
  ): Promise<'deadLettered'> {
    const letter: DeadLetter = {
      reason,
      topic: position.topic,
      partition: position.partition,
      offset: position.offset,
      key: message.key?.toString() ?? null,
      runId,
      failedAt: new Date().toISOString(),
      value: message.value?.subarray(0, DEAD_LETTER_VALUE_MAX).toString('base64') ?? null,
      valueBytes: message.value?.length ?? 0,
      valueTruncated: (message.value?.length ?? 0) > DEAD_LETTER_VALUE_MAX,
    };
    await this.deadLetters.add({ key: message.key, value: JSON.stringify(letter), headers: message.headers });
    this.counters.add(runId, { processed: 1, deadLettered: 1 });
    this.metrics.recordsDeadLettered(stream, why, 1);
    return 'deadLettered';
  }

  private batcher<T>(maxDelayMs: number, flush: (items: T[]) => Promise<void>): Batcher<T> {
    return new Batcher(flush, {
      maxItems: PUBLISH_MAX_ITEMS,
      maxDelayMs,
      keepTrying: () => this.running,
      onRetry: (error, attempt) =>
        this.logger.warn(`publishing failed (attempt ${attempt}), retrying: ${(error as Error).message}`),
      // the records wait for it, and their partitions' commits with them
      onSlow: (items, waitedMs) =>
        this.logger.warn(`publishing ${items} records: no acknowledgement after ${waitedMs / 1000} s`),
    });
  }
}
