import { Logger } from '@nestjs/common';
import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';

const RESTART_DELAY_MS = 5_000;
/** kafkajs `retry.restartOnFailure`: never restart a crashed consumer itself (its caller does). */
export const noRestart = () => Promise.resolve(false);

export interface RestartingConsumerOptions {
  /** Named in logs. */
  name: string;
  consumer: ConsumerConfig;
  topic: string;
  fromBeginning: boolean;
  run: ConsumerRunConfig;
}

/**
 * A kafkajs consumer that is replaced after any crash (or a failed start), until stopped. kafkajs's own restart
 * is turned off: it could bring a consumer back after `stop()` had disconnected it (its restart timer survives the
 * disconnect), left reading in a process that is shutting down. `joined` resolves at the first group join.
 */
export class RestartingConsumer {
  readonly joined: Promise<void>;
  private markJoined: () => void = () => undefined;
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: RestartingConsumerOptions,
  ) {
    this.logger = new Logger(options.name);
    this.joined = new Promise((resolve) => (this.markJoined = resolve));
  }

  /**
   * Not to be awaited by boot: joining a group takes seconds. A start that comes after `stop()` (its owner's
   * boot work finished after the app had closed) does nothing.
   */
  start(): void {
    if (this.stopped) return;
    this.starting = this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.starting;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { consumer: config } = this.options;
    const consumer = this.kafka.consumer({
      ...config,
      retry: { ...config.retry, restartOnFailure: noRestart },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    consumer.on(consumer.events.CRASH, ({ payload }) => this.scheduleRestart(payload.error));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
      await consumer.run(this.options.run);
      this.logger.log(`reading ${this.options.topic} as ${this.options.consumer.groupId}`);
    } catch (error) {
      this.scheduleRestart(error);
    }
  }

  private scheduleRestart(error: unknown): void {
    if (this.stopped) return;
    this.logger.warn(`consumer stopped (${(error as Error).message}); retrying in ${RESTART_DELAY_MS} ms`);
    const old = this.consumer;
    this.restart = setTimeout(() => {
      this.starting = (async () => {
        await old?.disconnect().catch(() => undefined);
        if (!this.stopped) await this.connect();
      })();
    }, RESTART_DELAY_MS);
    this.restart.unref();
  }
}
