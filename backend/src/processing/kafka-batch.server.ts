import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';

/** What an `@EventPattern(topic)` handler receives: one fetched batch of one partition. */
export interface KafkaBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Keeps the group membership alive during long work (retries). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: long retries should give up so the process can exit. */
  isRunning(): boolean;
  pause(): () => void;
}

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  partitionsConsumedConcurrently: number;
  /** Handlers name contract topics; the consumer reads them with this prefix (KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
}

/**
 * A Nest transport that hands whole batches to handlers and commits a batch's offsets only after its
 * handler resolved: nothing is committed past a record that was not stored. The stock Kafka transport
 * calls handlers one message at a time, which cannot keep up with the pipeline's rates.
 */
/** Subscribing right after a topic's creation can meet a broker that does not serve it yet: retry a while. */
async function subscribeWithRetry(consumer: Consumer, topic: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      return;
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Wait before replacing a consumer that crashed for good. */
const RESTART_MS = 2_000;

export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private consumer: Consumer | undefined;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
  }

  private closing = false;
  protected override readonly logger = new Logger(KafkaBatchServer.name);

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      // a killed processor's partitions move to the others after this long
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: 1_048_576,
      allowAutoTopicCreation: false,
      retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    // kafkajs restarts a crashed consumer only for errors it deems retriable; after any other crash (a broker
    // restart can end in one) the process would stay up consuming nothing, so start a new consumer instead
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.closing) return;
      this.logger.error(
        `consumer crashed (${payload.error.message}); starting a new one in ${RESTART_MS} ms`,
      );
      setTimeout(() => void this.restart(consumer), RESTART_MS);
    });
    await consumer.connect();
    for (const pattern of this.getHandlers().keys()) {
      await subscribeWithRetry(consumer, this.options.topicPrefix + pattern);
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.closing || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (error) {
      this.logger.error(`could not start a new consumer (${(error as Error).message}); retrying`);
      setTimeout(() => void this.restart(this.consumer!), RESTART_MS);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    // kafkajs waits for in-flight batches to finish before leaving the group
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const handler = this.getHandlerByPattern(batch.topic.slice(this.options.topicPrefix.length));
    if (!handler || batch.messages.length === 0) return;
    const data: KafkaBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
      heartbeat: () => payload.heartbeat(),
      isRunning: () => payload.isRunning() && !payload.isStale(),
      pause: () => payload.pause(),
    };
    const result: unknown = await handler(data);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    const last = batch.messages[batch.messages.length - 1]!;
    payload.resolveOffset(last.offset);
    await this.consumer?.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
    ]);
  }
}
