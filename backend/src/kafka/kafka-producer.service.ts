import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { KAFKA } from './kafka.client.js';

/**
 * The process's one idempotent producer (raw users, processed users, dead letters). Connected lazily,
 * so a process that never produces opens no producer connection.
 */
/** About 600 KB of user records: under Kafka's default max.message.bytes even if all land on one partition. */
const MAX_MESSAGES_PER_SEND = 500;

@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  /**
   * Resolves once every message is acknowledged by all in-sync replicas. Large batches go out in chunks:
   * one request over the broker's 1 MB message limit is refused, and a refused idempotent send leaves
   * the producer's sequence numbers out of order for every later send.
   */
  async send(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    const producer = await this.connected();
    const sends: Promise<RecordMetadata[]>[] = [];
    for (let i = 0; i < messages.length; i += MAX_MESSAGES_PER_SEND) {
      const chunk = messages.slice(i, i + MAX_MESSAGES_PER_SEND);
      sends.push(producer.send({ topic, messages: chunk, acks: -1, compression: CompressionTypes.None }));
    }
    return (await Promise.all(sends)).flat();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect();
  }

  private connected(): Promise<Producer> {
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 5,
        allowAutoTopicCreation: false,
        // bounded, so a broker outage fails a send with a clear error instead of hanging forever
        retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }
}
