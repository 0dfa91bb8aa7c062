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
import { WritePool } from './write-pool.js';
import { TracingService } from '#src/tracing/index.js';
import { describeWriteError, isPermanentWriteError, writeErrorKind } from '#src/cassandra/index.js';

/** What became of a record once its promise settles. */
type Outcome = 'stored' | 'deadLettered';

/** Sends to the processed and dead-letter topics: up to this many records per request, or what came in 20 ms. */
const PUBLISH_MAX_ITEMS = 500;
const PUBLISH_MAX_DELAY_MS = 20;

/**
 * The stream processor's rules, shared by every input topic: decode and validate inline, then hand each row to
 * one process-wide write pool; a row the store can never take is dead-lettered with the reason, a transient
 * failure is retried with backoff while its partition is paused. Each record's promise settles once it is
 * stored and published downstream (or dead-lettered), which is when the transport may commit its offset.
 */
@Injectable()
export class ProcessingService implements OnApplicationShutdown {
  private readonly logger = new Logger(ProcessingService.name);
  private readonly pool: WritePool;
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
    const { writeConcurrency, maxQueuedWrites } = config.processor;
    this.pool = new WritePool(writeConcurrency, maxQueuedWrites);
    this.deadLetters = this.batcher((letters) =>
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
    const receipt = batch.messages.map((message) => {
      const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
      const runId = header(message, RawUserHeaders.runId);
      const decoded = stream.decode(message, position, now);
      const refusal = decoded.ok ? stream.refusal(decoded.row) : decoded.reason;
      if (refusal !== null || !decoded.ok) {
        return this.deadLetter(stream.name, 'invalid', message, position, runId, refusal ?? '');
      }
      return this.store(batch, stream, decoded.row, message, position, runId);
    });
    // backpressure: stop fetching this partition while the pool's queue is long
    if (this.pool.overHighWater) {
      void this.pool.belowLowWater().then(batch.pause());
    }
    if (this.tracing.enabled) {
      this.traceBatch(batch, stream.name, receipt);
    }
    return receipt;
  }

  /** One span per batch, ended once every record of it is stored or dead-lettered (or failed). */
  private traceBatch(batch: KafkaBatch, stream: StreamName, receipt: Promise<Outcome>[]): void {
    const span = this.tracing.startSpan('processor.store_batch', {
      'messaging.destination.name': batch.topic,
      'messaging.destination.partition.id': String(batch.partition),
      'userstream.stream': stream,
      'userstream.records': receipt.length,
    });
    void Promise.allSettled(receipt).then((results) => {
      const count = (outcome: Outcome) =>
        results.filter((result) => result.status === 'fulfilled' && result.value === outcome).length;
      span.setAttributes({
        'userstream.records_stored': count('stored'),
        'userstream.records_dead_lettered': count('deadLettered'),
      });
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) {
        this.tracing.fail(span, failed.reason);
      } else {
        span.end();
      }
    });
  }

  private async store<Row>(
    batch: KafkaBatch,
    stream: RecordStream<Row>,
    row: Row,
    message: KafkaMessage,
    position: KafkaPosition,
    runId: string | null,
  ): Promise<Outcome> {
    const failure = await this.pool.run(() => this.writeWithRetry(batch, stream, row));
    if (failure !== null) {
      const reason = `the store refused the record: ${failure}`;
      return this.deadLetter(stream.name, 'store_refused', message, position, runId, reason);
    }
    await this.published(stream, row);
    this.counters.add(runId, { processed: 1, stored: 1 });
    this.metrics.recordsStored(stream.name, 1);
    const ingestedAt = this.ingestedAtMs(message);
    if (!Number.isNaN(ingestedAt)) {
      this.metrics.observeIngestToStored(stream.name, ingestedAt);
    }
    return 'stored';
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

  /** Null once written; the reason when the error is permanent. Transient errors are retried, partition paused. */
  private async writeWithRetry<Row>(
    batch: KafkaBatch,
    stream: RecordStream<Row>,
    row: Row,
  ): Promise<string | null> {
    let resume: (() => void) | undefined;
    try {
      await retry(() => this.write(stream, row), {
        delayMs: backoff.exponential(200, 30_000, 'half'),
        retryable: (error) => !isPermanentWriteError(error) && this.running && batch.isRunning(),
        onRetry: (error, attempt, delayMs) => {
          resume ??= batch.pause();
          if (attempt === 1 || attempt % 10 === 0) {
            this.logger.warn(
              `writing a row of ${batch.topic}[${batch.partition}] failed (attempt ${attempt}), ` +
                `retrying in ${Math.round(delayMs)} ms: ${describeWriteError(error)}`,
            );
          }
        },
      });
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

  /** One write, timed and counted. */
  private async write<Row>(stream: RecordStream<Row>, row: Row): Promise<void> {
    const started = performance.now();
    try {
      await stream.write(row);
      this.status.writeSucceeded();
    } catch (error) {
      this.metrics.writeFailed(stream.name, writeErrorKind(error));
      // a refused row says nothing about the store's health; only transient failures count against it
      if (!isPermanentWriteError(error)) {
        this.status.writeFailed();
      }
      throw error;
    } finally {
      this.metrics.observeWrite(stream.name, (performance.now() - started) / 1000);
    }
  }

  private published<Row>(stream: RecordStream<Row>, row: Row): Promise<void> {
    if (!stream.afterStored) {
      return Promise.resolve();
    }
    let batcher = this.afterStored.get(stream);
    if (!batcher) {
      batcher = this.batcher((rows) => stream.afterStored!(rows as Row[]));
      this.afterStored.set(stream, batcher);
    }
    return batcher.add(row);
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

  private batcher<T>(flush: (items: T[]) => Promise<void>): Batcher<T> {
    return new Batcher(flush, {
      maxItems: PUBLISH_MAX_ITEMS,
      maxDelayMs: PUBLISH_MAX_DELAY_MS,
      keepTrying: () => this.running,
      onRetry: (error, attempt) =>
        this.logger.warn(`publishing failed (attempt ${attempt}), retrying: ${(error as Error).message}`),
      // the records wait for it, and their partitions' commits with them
      onSlow: (items, waitedMs) =>
        this.logger.warn(`publishing ${items} records: no acknowledgement after ${waitedMs / 1000} s`),
    });
  }
}
