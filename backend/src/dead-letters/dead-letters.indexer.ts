import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DeadLetter, RedriveHeaders } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { KAFKA, KafkaAdminRepository, RestartingConsumer } from '#src/kafka/index.js';
import { DeadLetterEntity } from './dead-letter.entity.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { reasonKind } from './reason-kind.js';

/** The indexer's consumer group: the processor's group name with this suffix (one per deployment). */
export const DEAD_LETTER_INDEXER_GROUP_SUFFIX = '.dead-letters';

/**
 * Keeps the dead-letter index in PostgreSQL: reads the dead-letter topic from its beginning in a committed
 * consumer group and inserts each batch before committing it, so the page's summary is one indexed query
 * and a record is read by its position, not by scanning the topic. Inserts ignore letters already held, so
 * a batch read twice (after a crash) is indexed once.
 */
@Injectable()
export class DeadLettersIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLettersIndexer.name);
  private readonly consumer: RestartingConsumer;
  private readonly topic: string;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    config: AppConfig,
    private readonly letters: DeadLettersRepository,
    private readonly kafkaAdmin: KafkaAdminRepository,
  ) {
    this.topic = config.kafka.topics.deadLetters;
    this.consumer = new RestartingConsumer(kafka, {
      name: DeadLettersIndexer.name,
      consumer: {
        groupId: `${config.kafka.processorGroupId}${DEAD_LETTER_INDEXER_GROUP_SUFFIX}`,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
      },
      topic: config.kafka.topics.deadLetters,
      fromBeginning: true,
      run: { autoCommit: false, eachBatch: (payload) => this.indexBatch(payload) },
    });
  }

  /** Resolves once the consumer has joined its group. */
  get joined(): Promise<void> {
    return this.consumer.joined;
  }

  /** Not awaited: boot goes on while the index is checked and the group joined. */
  onApplicationBootstrap(): void {
    void this.forgetRecreatedTopic().finally(() => this.consumer.start());
  }

  /**
   * Letters the index holds at or past the topic's end belong to a topic that was deleted and created again
   * (or to a Kafka whose data was wiped, PostgreSQL kept): its positions are handed out anew, and the new
   * letters would be taken for the old ones and never indexed. Forget the old ones first.
   */
  private async forgetRecreatedTopic(): Promise<void> {
    try {
      const ends = (await this.kafkaAdmin.topicWatermarks(this.topic)).map(({ partition, high }) => ({
        partition,
        offset: String(high),
      }));
      const forgotten = await this.letters.forgetBeyond(this.topic, ends);
      if (forgotten > 0) {
        this.logger.warn(`${forgotten} indexed letters lay beyond the end of ${this.topic}: forgotten`);
      }
    } catch (error) {
      this.logger.warn(
        `could not check the dead-letter index against ${this.topic}: ${(error as Error).message}`,
      );
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }

  private async indexBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const rows: DeadLetterEntity[] = [];
    for (const message of batch.messages) {
      const row = toRow(batch.topic, batch.partition, message);
      if (row) {
        rows.push(row);
      }
    }
    await this.letters.insertMany(rows);
    const skipped = batch.messages.length - rows.length;
    if (skipped > 0) {
      this.logger.warn(
        `${skipped} records of ${batch.topic}/${batch.partition} are not dead letters: not indexed`,
      );
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      payload.resolveOffset(last.offset);
      const offset = (BigInt(last.offset) + 1n).toString();
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      });
    }
    await payload.heartbeat();
  }
}

/** A letter as an index row; null for a record that is not one (an admin may force anything into the topic). */
export function toRow(topic: string, partition: number, message: KafkaMessage): DeadLetterEntity | null {
  let letter: DeadLetter;
  try {
    const parsed = DeadLetter.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    if (!parsed.success) {
      return null;
    }
    letter = parsed.data;
  } catch {
    return null;
  }
  const failedAt = new Date(letter.failedAt);
  if (Number.isNaN(failedAt.getTime()) || !/^\d+$/.test(letter.offset)) {
    return null;
  }
  const headers = headerMap(message.headers);
  const redriveOf = headers[RedriveHeaders.of];
  return Object.assign(new DeadLetterEntity(), {
    dlqTopic: topic,
    dlqPartition: partition,
    dlqOffset: message.offset,
    kind: reasonKind(letter.reason),
    reason: letter.reason,
    runId: letter.runId?.slice(0, 64) ?? null,
    sourceTopic: letter.topic,
    sourcePartition: letter.partition,
    sourceOffset: letter.offset,
    recordKey: letter.key,
    failedAt,
    value: letter.value === null ? null : Buffer.from(letter.value, 'base64'),
    valueBytes: letter.valueBytes,
    valueTruncated: letter.valueTruncated,
    headers,
    redriveOf:
      redriveOf === undefined ? null : Buffer.from(redriveOf, 'base64').toString('utf8').slice(0, 300),
  });
}

/** Headers by name, each value base64 (byte for byte: a redrive sends them again); the first of repeated ones. */
function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      map[name] = Buffer.from(first).toString('base64');
    }
  }
  return map;
}
