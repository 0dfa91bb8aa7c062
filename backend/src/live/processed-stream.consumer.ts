import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { LIVE_CONSUMER_GROUP_PREFIX } from '@userstream/contracts';
import { AppConfig } from '../config/app-config.js';
import { KAFKA } from '../kafka/kafka.client.js';
import { LiveStreamService } from './live-stream.service.js';

const RESTART_DELAY_MS = 5_000;

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
  /** Resolves once the consumer has joined its group and been given the partitions. */
  readonly joined: Promise<void>;
  private readonly logger = new Logger(ProcessedStreamConsumer.name);
  private markJoined: () => void = () => undefined;
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: AppConfig,
    private readonly stream: LiveStreamService,
  ) {
    this.joined = new Promise((resolve) => (this.markJoined = resolve));
  }

  /** Not awaited: joining a group takes seconds and must not hold up the HTTP server. */
  onApplicationBootstrap(): void {
    this.starting = this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.starting;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 15_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.scheduleRestart(payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.config.kafka.topics.processedUsers, fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatch: ({ batch }) => {
          for (const message of batch.messages) this.stream.add(message.value);
          return Promise.resolve();
        },
      });
      this.logger.log(`live stream reading ${this.config.kafka.topics.processedUsers} as ${this.groupId}`);
    } catch (error) {
      this.scheduleRestart(error);
    }
  }

  private scheduleRestart(error: unknown): void {
    if (this.stopped) return;
    this.logger.warn(
      `live stream consumer stopped (${(error as Error).message}); retrying in ${RESTART_DELAY_MS} ms`,
    );
    const old = this.consumer;
    this.restart = setTimeout(() => {
      this.starting = (async () => {
        await old?.disconnect().catch(() => undefined);
        if (!this.stopped) await this.start();
      })();
    }, RESTART_DELAY_MS);
    this.restart.unref();
  }
}
