import { Logger } from '@nestjs/common';
import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

const RESTART_DELAY_MS = 5_000;
/**
 * A running kafkajs consumer starts a fetch at least every maxWaitTime (seconds), paused or not, and a group join
 * waits at most its rebalance timeout (60 s). Silence past this, with no handler running, means a consumer that
 * stopped without a word: kafkajs reports a crash only after its own disconnect, which can hang.
 */
export const STUCK_MS = 90_000;
/** How long replacing a consumer waits for the old one to disconnect. */
const DISCONNECT_MS = 10_000;
/** How often the fetch silence is checked. */
const WATCH_MS = 5_000;
/**
 * How old a consumer's view of the cluster may get (kafkajs's default is 5 min). kafkajs fetches each partition
 * from the broker its metadata names as leader, from fetchers made for the brokers it knows, and only an error makes
 * it look again: after a broker was lost, a partition whose leader it had dropped from that view can be fetched by
 * nobody, with no error, until the metadata ages out.
 */
export const METADATA_MAX_AGE_MS = 10_000;
/** kafkajs `retry.restartOnFailure`: never restart a crashed consumer itself (its caller does). */
export const noRestart = () => Promise.resolve(false);

/** Disconnects `consumer`, leaving it behind after a while: a stuck one may never finish disconnecting. */
export async function disconnectWithin(consumer: Consumer, ms = DISCONNECT_MS): Promise<void> {
  await Promise.race([consumer.disconnect().catch(() => undefined), sleep(ms, undefined, { ref: false })]);
}

export interface RestartingConsumerOptions {
  /** Named in logs. */
  name: string;
  consumer: ConsumerConfig;
  topic: string;
  fromBeginning: boolean;
  run: ConsumerRunConfig;
  /** Replace the consumer after this long without a fetch (default STUCK_MS). */
  stuckAfterMs?: number;
  /** Wait this long before replacing a consumer that stopped (default 5 s). */
  restartDelayMs?: number;
}

/**
 * A kafkajs consumer that is replaced after any crash (or a failed start), and after a fetch silence that no
 * handler explains, until stopped. kafkajs's own restart is turned off: it could bring a consumer back after
 * `stop()` had disconnected it (its restart timer survives the disconnect), left reading in a process that is
 * shutting down. `joined` resolves at the first group join.
 */
export class RestartingConsumer {
  readonly joined: Promise<void>;
  private markJoined: () => void = () => undefined;
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private restart: NodeJS.Timeout | undefined;
  private watch: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The consumer a replacement is pending for (a crash and the watchdog may both report it). */
  private replacing: Consumer | undefined;
  private lastFetchAt = Date.now();
  /** Handlers running now: a slow one (a backfill, a store retrying) holds the fetch loop, and is no silence. */
  private handling = 0;

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
    this.watch = setInterval(
      () => this.replaceIfStuck(),
      Math.min(WATCH_MS, this.options.stuckAfterMs ?? STUCK_MS),
    );
    this.watch.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    clearInterval(this.watch);
    await this.starting;
    if (this.consumer) await disconnectWithin(this.consumer);
  }

  private async connect(): Promise<void> {
    const { consumer: config } = this.options;
    const consumer = this.kafka.consumer({
      metadataMaxAge: METADATA_MAX_AGE_MS,
      ...config,
      retry: { ...config.retry, restartOnFailure: noRestart },
    });
    this.consumer = consumer;
    this.lastFetchAt = Date.now();
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    consumer.on(consumer.events.FETCH_START, () => (this.lastFetchAt = Date.now()));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.scheduleRestart(consumer, payload.error));
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
      await consumer.run(this.watched(this.options.run));
      this.logger.log(`reading ${this.options.topic} as ${this.options.consumer.groupId}`);
    } catch (error) {
      this.scheduleRestart(consumer, error);
    }
  }

  /** The run config with its handlers counted in `handling`. */
  private watched(run: ConsumerRunConfig): ConsumerRunConfig {
    const counted =
      <T>(handler: (payload: T) => Promise<void>) =>
      async (payload: T) => {
        this.handling++;
        try {
          await handler(payload);
        } finally {
          this.handling--;
          this.lastFetchAt = Date.now();
        }
      };
    return {
      ...run,
      ...(run.eachBatch && { eachBatch: counted(run.eachBatch) }),
      ...(run.eachMessage && { eachMessage: counted(run.eachMessage) }),
    };
  }

  private replaceIfStuck(): void {
    const silentMs = Date.now() - this.lastFetchAt;
    const stuckAfterMs = this.options.stuckAfterMs ?? STUCK_MS;
    if (this.handling > 0 || !this.consumer || this.replacing === this.consumer || silentMs < stuckAfterMs)
      return;
    this.scheduleRestart(this.consumer, new Error(`no fetch for ${Math.round(silentMs / 1000)} s`));
  }

  /** Replaces `failed` if it is still the current consumer, once. */
  private scheduleRestart(failed: Consumer, error: unknown): void {
    if (this.stopped || this.consumer !== failed || this.replacing === failed) return;
    this.replacing = failed;
    const delay = this.options.restartDelayMs ?? RESTART_DELAY_MS;
    this.logger.warn(`consumer stopped (${(error as Error).message}); retrying in ${delay} ms`);
    this.restart = setTimeout(() => {
      this.starting = (async () => {
        await disconnectWithin(failed);
        if (!this.stopped) await this.connect();
      })();
    }, delay);
    this.restart.unref();
  }
}
