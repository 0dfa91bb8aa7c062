import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { TopicException, TopicExceptionCode, toTopicException } from './topic.exception.js';
import { KafkaAdminRepository, withAdmin } from './kafka-admin.repository.js';
import { KAFKA } from './kafka.client.js';
import { KafkaProducerService } from './kafka-producer.service.js';
import { ConsumerRestarts, noRestart } from './restarting-consumer.js';

/** Offsets `[start, end)` of one partition. */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

export interface RawHeader {
  key: string;
  value: Buffer | null;
}

export interface RawMessage {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeader[];
}

export interface ReadResult {
  messages: RawMessage[];
  stoppedBy: 'end' | 'maxBytes' | 'timeout';
}

/** What a scan's visitor makes of a message: taken and go on, taken and stop, or not taken and stop. */
export type Visit = 'next' | 'last' | 'stop';

export interface ScanResult {
  /** Per partition, the first offset not visited. */
  reached: Map<number, number>;
  /** Every range read, the visitor said stop, or the time ran out. */
  stoppedBy: 'end' | 'visitor' | 'timeout';
}

/** What every reading consumer here is: a member of a group of its own, quick to join and to leave. */
const READER = {
  allowAutoTopicCreation: false,
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 1_000,
} as const;
/** Wait before replacing a tail's consumer that crashed. */
const TAIL_RESTART_MS = 2_000;
/** Groups of the short-lived browsing consumers: never committed, deleted after use, hidden from listings. */
export const BROWSER_GROUP_PREFIX = 'userstream-browser-';

const headerValues = (value: IHeaders[string]): (Buffer | null)[] => {
  if (value === undefined) {
    return [null];
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (typeof item === 'string' ? Buffer.from(item) : item));
};

/** Keys, values and headers of a message, in bytes. */
export const messageBytes = (message: RawMessage): number =>
  (message.key?.length ?? 0) +
  (message.value?.length ?? 0) +
  message.headers.reduce(
    (sum, header) => sum + Buffer.byteLength(header.key) + (header.value?.length ?? 0),
    0,
  );

function toRawMessage(partition: number, entry: KafkaMessage): RawMessage {
  return {
    partition,
    offset: Number(entry.offset),
    timestamp: Number(entry.timestamp),
    key: entry.key,
    value: entry.value,
    headers: Object.entries(entry.headers ?? {}).flatMap(([key, value]) =>
      headerValues(value).map((item) => ({ key, value: item })),
    ),
  };
}

/**
 * A topic's messages: offset ranges read and scanned, a topic followed from its end, a test message written.
 * Reads use short-lived consumers of groups of their own, deleted afterwards. kafkajs errors leave as
 * TopicExceptions.
 */
@Injectable()
export class TopicMessagesRepository {
  private readonly logger = new Logger(TopicMessagesRepository.name);

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly admin: KafkaAdminRepository,
    private readonly producer: KafkaProducerService,
  ) {}

  /**
   * Reads the offset ranges of one topic (see `scanRanges`), keeping messages until `maxBytes` (keys, values
   * and headers) are collected.
   */
  async readRanges(
    topic: string,
    ranges: PartitionRange[],
    { maxBytes, timeoutMs }: { maxBytes: number; timeoutMs: number },
  ): Promise<ReadResult> {
    const messages: RawMessage[] = [];
    let bytes = 0;
    let full = false;
    const scan = await this.scanRanges(topic, ranges, {
      timeoutMs,
      maxBytes,
      visit: (message) => {
        const size = messageBytes(message);
        // like a Kafka fetch, the first message is returned whatever its size, so a large one can be seen
        if (bytes + size > maxBytes && messages.length > 0) {
          full = true;
          return 'stop';
        }
        bytes += size;
        messages.push(message);
        return 'next';
      },
    });
    return { messages, stoppedBy: full ? 'maxBytes' : scan.stoppedBy === 'end' ? 'end' : 'timeout' };
  }

  /**
   * Visits the messages of offset ranges of one topic, in offset order within each partition, with a
   * short-lived consumer: a random group that never commits, a seek per partition, and a stop when every
   * range is read, `visit` says so or `timeoutMs` passed. `visit` answers `next` (taken, go on), `last`
   * (taken, then stop) or `stop` (not taken). `reached` says, per partition, the first
   * offset not visited (`end` once its range is read). The group is deleted afterwards (the broker would
   * otherwise expire it by itself).
   */
  async scanRanges(
    topic: string,
    ranges: PartitionRange[],
    {
      timeoutMs,
      maxBytes = 1_048_576,
      visit,
    }: { timeoutMs: number; maxBytes?: number; visit: (message: RawMessage) => Visit },
  ): Promise<ScanResult> {
    const groupId = `${BROWSER_GROUP_PREFIX}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      ...READER,
      maxWaitTimeInMs: 200,
      maxBytesPerPartition: Math.min(maxBytes, 1_048_576),
      maxBytes: Math.min(maxBytes * 2, 16_777_216),
      retry: { retries: 2, restartOnFailure: noRestart },
    });
    const pending = new Map(ranges.map((range) => [range.partition, range]));
    const reached = new Map(ranges.map((range) => [range.partition, range.start]));
    let stoppedBy: ScanResult['stoppedBy'] = 'timeout';
    let crash: Error | undefined;
    // once finished, nothing more is taken: batches still arrive while the consumer disconnects
    let open = true;
    let resolveFinished = () => {};
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const finish = () => {
      open = false;
      resolveFinished();
    };
    const timer = setTimeout(finish, timeoutMs);

    const done = (partition: number) => {
      const range = pending.get(partition);
      if (!open || !range) {
        return;
      }
      pending.delete(partition);
      reached.set(partition, range.end);
      consumer.pause([{ topic, partitions: [partition] }]);
      if (pending.size === 0) {
        stoppedBy = 'end';
        finish();
      }
    };
    const take = (message: RawMessage): boolean => {
      const range = pending.get(message.partition);
      if (!open) {
        return false;
      }
      if (!range || message.offset < range.start) {
        return true;
      }
      if (message.offset >= range.end) {
        done(message.partition);
        return false;
      }
      const answer = visit(message);
      if (answer !== 'stop') {
        reached.set(message.partition, message.offset + 1);
      }
      if (answer === 'next' && message.offset >= range.end - 1) {
        done(message.partition);
      }
      if (answer === 'next') {
        return true;
      }
      if (message.offset >= range.end - 1) {
        done(message.partition);
      }
      if (open) {
        stoppedBy = 'visitor';
        finish();
      }
      return false;
    };

    // transaction markers and compacted-away offsets never reach eachBatch: batch ends tell how far it got
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const range = pending.get(payload.partition);
      if (range && Number(payload.lastOffset) >= range.end - 1) {
        done(payload.partition);
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      crash = payload.error;
      finish();
    });

    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        autoCommit: false,
        eachBatch: ({ batch }) => {
          for (const entry of batch.messages) {
            if (!take(toRawMessage(batch.partition, entry))) {
              break;
            }
          }
          return Promise.resolve();
        },
      });
      // partitions without a range are read from their end (no committed offset): nothing, or ignored
      for (const range of ranges) {
        consumer.seek({ topic, partition: range.partition, offset: String(range.start) });
      }
      await finished;
      if (crash !== undefined) {
        throw crash;
      }
      return { reached, stoppedBy };
    } catch (error) {
      throw toTopicException(error, topic);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
      await this.forget(groupId);
    }
  }

  /**
   * Follows a topic from its current end: a consumer of a group of its own (hidden like the browsers',
   * never committing) seeks every partition to its high watermark, so nothing written after this call
   * returns is missed. A consumer that crashes is replaced (see ConsumerRestarts) and reads on from the
   * topic's end then, the group having committed nothing. `close` disconnects it and deletes the group.
   */
  async tail(
    topic: string,
    onMessages: (messages: RawMessage[]) => void,
  ): Promise<{ positions: { partition: number; offset: number }[]; close: () => Promise<void> }> {
    const state = await this.admin.findTopic(topic);
    if (!state) {
      throw new TopicException(TopicExceptionCode.TOPIC_NOT_FOUND, `${topic}: topic not found`);
    }
    const groupId = `${BROWSER_GROUP_PREFIX}tail-${randomUUID()}`;
    let consumer: Consumer | undefined;
    const start = async () => {
      const started = this.kafka.consumer({
        groupId,
        ...READER,
        maxWaitTimeInMs: 250,
        maxBytesPerPartition: 1_048_576,
        maxBytes: 4_194_304,
        // kafkajs's default for a consumer, with its own restart off: a crash is replaced below
        retry: { retries: 5, restartOnFailure: noRestart },
      });
      consumer = started;
      restarts.watch(started);
      await started.connect();
      await started.subscribe({ topics: [topic] });
      await started.run({
        autoCommit: false,
        eachBatch: ({ batch }) => {
          onMessages(batch.messages.map((entry) => toRawMessage(batch.partition, entry)));
          return Promise.resolve();
        },
      });
      return started;
    };
    const restarts = new ConsumerRestarts({
      logger: this.logger,
      current: () => consumer,
      start: async () => {
        await start();
      },
      delayMs: TAIL_RESTART_MS,
    });
    const close = async () => {
      restarts.stop();
      await consumer?.disconnect().catch(() => undefined);
      await this.forget(groupId);
    };
    const positions = state.partitions.map(({ partition, high }) => ({ partition, offset: high }));
    try {
      const started = await start();
      for (const { partition, offset } of positions) {
        started.seek({ topic, partition, offset: String(offset) });
      }
      return { positions, close };
    } catch (error) {
      await close();
      throw toTopicException(error, topic);
    }
  }

  async produce(
    topic: string,
    message: { key: string | null; value: string; headers: Record<string, string>; partition?: number },
  ): Promise<{ partition: number; offset: number }> {
    try {
      const [result] = await this.producer.sendToAnyTopic(topic, {
        key: message.key,
        value: message.value,
        headers: message.headers,
        ...(message.partition === undefined ? {} : { partition: message.partition }),
      });
      return {
        partition: result?.partition ?? 0,
        offset: Number(result?.baseOffset ?? result?.offset ?? -1),
      };
    } catch (error) {
      throw toTopicException(error, topic);
    }
  }

  /** Deletes a reading consumer's group (the broker would otherwise expire it by itself). */
  private async forget(groupId: string): Promise<void> {
    await withAdmin(this.kafka, groupId, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
}
