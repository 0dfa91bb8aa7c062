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

export interface ConsumerRestartsOptions {
  /** Where replacements are said. */
  logger: Logger;
  /** The consumer in use now: only it is ever replaced. */
  current(): Consumer | undefined;
  /** Makes, connects and runs a new consumer, which becomes `current`; rejects when it could not start. */
  start(): Promise<void>;
  /** How long a consumer that crashed, or failed to start, waits before it is replaced. */
  delayMs: number;
  /** A consumer that has not fetched for this long, with no handler running, is stuck (default STUCK_MS). */
  stuckAfterMs?: number;
}

/**
 * The one restart policy of every long-lived consumer (RestartingConsumer, the processor's KafkaBatchServer).
 * kafkajs's own restart is off (`noRestart`): a consumer that crashed, failed to start, went silent, or that its
 * owner gave up on, is replaced here. Its old consumer is disconnected (and left behind after a while, see
 * `disconnectWithin`), then a new one started; a start that fails is tried again after the delay. Only the current
 * consumer is replaced, once however many times it is reported, one replacement at a time, never after `stop()`.
 */
export class ConsumerRestarts {
  private stopped = false;
  /** The consumer being replaced now (disconnecting it, starting the next one). */
  private replacingNow: Consumer | undefined;
  /** The consumer a delayed replacement is pending for (a crash and the watchdog may both report it). */
  private scheduledFor: Consumer | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private lastFetchAt = Date.now();
  /** Handlers running now: a slow one (a backfill, a store retrying) holds the fetch loop, and is no silence. */
  private handling = 0;

  constructor(private readonly options: ConsumerRestartsOptions) {}

  /** A replacement is under way. */
  get replacing(): boolean {
    return this.replacingNow !== undefined;
  }

  /** Follows a consumer just made: its fetches (for `replaceIfStuck`), and its crash, replaced after the delay. */
  watch(consumer: Consumer): void {
    this.lastFetchAt = Date.now();
    consumer.on(consumer.events.FETCH_START, () => (this.lastFetchAt = Date.now()));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.replace(consumer, `consumer crashed (${payload.error.message})`);
    });
  }

  /** `handler`, counted while it runs (see `handling`). */
  counted<T>(handler: (payload: T) => Promise<void>): (payload: T) => Promise<void> {
    return async (payload: T) => {
      this.handling++;
      try {
        await handler(payload);
      } finally {
        this.handling--;
        this.lastFetchAt = Date.now();
      }
    };
  }

  /** Replaces the current consumer (see `replace`) if it has not fetched for the stuck time, no handler running. */
  replaceIfStuck(delayMs: number): boolean {
    const consumer = this.options.current();
    const silentMs = Date.now() - this.lastFetchAt;
    if (!consumer || this.handling > 0 || silentMs < (this.options.stuckAfterMs ?? STUCK_MS)) {
      return false;
    }
    return this.replace(consumer, `consumer has not fetched for ${Math.round(silentMs / 1000)} s`, delayMs);
  }

  /**
   * Replaces `failed`, saying why, after `delayMs` (the configured delay by default; 0: now, unless a replacement
   * is under way) if it is still the current consumer and none is pending for it. True when taken.
   */
  replace(failed: Consumer, reason: string, delayMs = this.options.delayMs): boolean {
    if (this.stopped || this.options.current() !== failed) {
      return false;
    }
    if (delayMs <= 0) {
      if (this.replacing) {
        return false;
      }
      this.options.logger.error(`${reason}; starting a new consumer`);
      void this.run(failed);
      return true;
    }
    if (this.scheduledFor === failed || this.replacingNow === failed) {
      return false;
    }
    this.scheduledFor = failed;
    this.options.logger.error(`${reason}; starting a new consumer in ${delayMs} ms`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.scheduledFor === failed) {
        this.scheduledFor = undefined;
      }
      void this.run(failed);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
    return true;
  }

  /** Starts the first consumer; one that does not start is replaced after the delay. */
  async first(): Promise<void> {
    try {
      await this.options.start();
    } catch (error) {
      this.startFailed(error);
    }
  }

  /** Nothing is replaced from now on; pending replacements are dropped. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private async run(failed: Consumer): Promise<void> {
    if (this.stopped || this.options.current() !== failed || this.replacing) {
      return;
    }
    this.replacingNow = failed;
    try {
      await disconnectWithin(failed);
      if (!this.stopped) {
        await this.options.start();
      }
    } catch (error) {
      this.replacingNow = undefined;
      this.startFailed(error);
    } finally {
      this.replacingNow = undefined;
    }
  }

  private startFailed(error: unknown): void {
    const current = this.options.current();
    if (current) {
      this.replace(current, `a new consumer did not start (${(error as Error).message})`);
    }
  }
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
 * handler explains, until stopped (see ConsumerRestarts). kafkajs's own restart is turned off: it could bring a
 * consumer back after `stop()` had disconnected it (its restart timer survives the disconnect), left reading in a
 * process that is shutting down. `joined` resolves at the first group join.
 */
export class RestartingConsumer {
  readonly joined: Promise<void>;
  private markJoined: () => void = () => undefined;
  private readonly logger: Logger;
  private readonly restarts: ConsumerRestarts;
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private watch: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: RestartingConsumerOptions,
  ) {
    this.logger = new Logger(options.name);
    this.joined = new Promise((resolve) => (this.markJoined = resolve));
    this.restarts = new ConsumerRestarts({
      logger: this.logger,
      current: () => this.consumer,
      start: () => this.connect(),
      delayMs: this.restartDelayMs,
      ...(options.stuckAfterMs === undefined ? {} : { stuckAfterMs: options.stuckAfterMs }),
    });
  }

  /**
   * Not to be awaited by boot: joining a group takes seconds. A start that comes after `stop()` (its owner's
   * boot work finished after the app had closed) does nothing.
   */
  start(): void {
    if (this.stopped) {
      return;
    }
    void this.restarts.first();
    this.watch = setInterval(
      () => this.restarts.replaceIfStuck(this.restartDelayMs),
      Math.min(WATCH_MS, this.options.stuckAfterMs ?? STUCK_MS),
    );
    this.watch.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restarts.stop();
    clearInterval(this.watch);
    await this.starting;
    if (this.consumer) {
      await disconnectWithin(this.consumer);
    }
  }

  private get restartDelayMs(): number {
    return this.options.restartDelayMs ?? RESTART_DELAY_MS;
  }

  /** A new consumer, connected and running (`stop` waits for it); rejects when it could not start. */
  private connect(): Promise<void> {
    const started = this.connectOnce();
    this.starting = started.catch(() => undefined);
    return started;
  }

  private async connectOnce(): Promise<void> {
    const { consumer: config } = this.options;
    const consumer = this.kafka.consumer({
      metadataMaxAge: METADATA_MAX_AGE_MS,
      ...config,
      retry: { ...config.retry, restartOnFailure: noRestart },
    });
    this.consumer = consumer;
    this.restarts.watch(consumer);
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning });
    await consumer.run(this.counted(this.options.run));
    this.logger.log(`reading ${this.options.topic} as ${this.options.consumer.groupId}`);
  }

  /** The run config with its handlers counted (see ConsumerRestarts.counted). */
  private counted(run: ConsumerRunConfig): ConsumerRunConfig {
    return {
      ...run,
      ...(run.eachBatch && { eachBatch: this.restarts.counted(run.eachBatch) }),
      ...(run.eachMessage && { eachMessage: this.restarts.counted(run.eachMessage) }),
    };
  }
}
