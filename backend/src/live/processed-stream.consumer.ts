import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { LIVE_CONSUMER_GROUP_PREFIX } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { KAFKA, RestartingConsumer } from '#src/kafka/index.js';
import { LiveStreamService } from './live-stream.service.js';

/**
 * Reads the processed topic for the live stream. Each backend instance is its own consumer group
 * (`userstream-live-<host>-<pid>-<random>`), so every instance sees every processed record and a
 * browser connected to any of them sees the whole stream. It starts at the latest offset and never
 * commits: once its member leaves, the broker deletes a group without committed offsets at its next
 * offsets cleanup (10 minutes by default), so these groups need no cleanup (nothing here deletes one).
 * It reads, it never writes: a record that is not StoredUser JSON is skipped and counted, not
 * dead-lettered (the processor owns that topic).
 */
@Injectable()
export class ProcessedStreamConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly groupId = `${LIVE_CONSUMER_GROUP_PREFIX}-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly consumer: RestartingConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, config: AppConfig, stream: LiveStreamService) {
    this.consumer = new RestartingConsumer(kafka, {
      name: ProcessedStreamConsumer.name,
      consumer: {
        groupId: this.groupId,
        sessionTimeout: 15_000,
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
      },
      topic: config.kafka.topics.processedUsers,
      fromBeginning: false,
      run: {
        autoCommit: false,
        eachBatch: ({ batch }) => {
          for (const message of batch.messages) {
            stream.add(message.value, Number(message.timestamp));
          }
          return Promise.resolve();
        },
      },
    });
  }

  /** Resolves once the consumer has joined its group and been given the partitions. */
  get joined(): Promise<void> {
    return this.consumer.joined;
  }

  /** Not awaited: joining a group takes seconds and must not hold up the HTTP server. */
  onApplicationBootstrap(): void {
    this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
