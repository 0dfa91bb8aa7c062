import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { KAFKA } from './kafka.client.js';

/**
 * The process's one idempotent producer (raw users, processed users, dead letters). Connected lazily,
 * so a process that never produces opens no producer connection.
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  async send(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    const producer = await this.connected();
    return producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
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
