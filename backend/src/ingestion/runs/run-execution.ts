import { Logger } from '@nestjs/common';
import type { Message, RecordMetadata } from 'kafkajs';
import { type RawUser, RawUserHeaders, type RunParams } from '@userstream/contracts';
import type { KafkaProducerService } from '../../kafka/kafka-producer.service.js';
import type { PipelineTopicsRepository } from '../../kafka/pipeline-topics.repository.js';
import type { UsersRepository } from '../../users/users.repository.js';
import { deriveUserId } from '../../users/user-identity.js';
import { toSeedUser } from '../formats/seed-user.format.js';
import type { UserSource } from '../sources/user-source.js';
import type { RunsRepository } from './runs.repository.js';
import { sleep, TokenBucket } from './token-bucket.js';

/**
 * Source pages whose records are not all acknowledged yet. With the next page fetched (or generated) while
 * these are sent, the broker always has work queued; bounded, so memory is too.
 */
const PAGES_IN_FLIGHT = 3;
const MAX_EMPTY_PAGES = 10;
const HEARTBEAT_MS = 1_000;
/** Processors flush their counters every 500 ms; wait a little longer before reconciling. */
const COUNTER_SETTLE_MS = 1_500;
/**
 * A broker restart takes seconds; the producer's own retries give up sooner when no broker answers at all.
 * A send is retried for this long before the run fails. A retried send may write a batch twice: harmless,
 * since users are keyed and stored by id.
 */
const SEND_RETRY_MS = 90_000;

export interface RunExecutionDeps {
  runs: RunsRepository;
  producer: KafkaProducerService;
  topics: PipelineTopicsRepository;
  users: UsersRepository;
  drainTimeoutMs: number;
  processorGroupId: string;
  rawTopic: string;
  /** Where seed-format runs write (the tutorial's `users_created`); the processor reads it too. */
  seedTopic: string;
}

/** The Kafka key: the user's id, or none for a record too broken to have one (it is dead-lettered). */
function userKey(user: unknown): string | null {
  if (typeof user !== 'object' || user === null) return null;
  try {
    return deriveUserId(user as RawUser);
  } catch {
    return null;
  }
}

/** A source page, already encoded: each user's key and value bytes. */
interface Page {
  records: Pick<Message, 'key' | 'value'>[];
  fetchedAt: Date;
}

type Outcome = { state: 'completed' | 'stopped' } | { state: 'failed' | 'interrupted'; error: string };

/**
 * One ingestion run in this process: fetch from the source at the requested rate, produce to Kafka
 * with bounded sends in flight (a slow broker slows the run), then wait until the processors have
 * committed everything it produced, and reconcile the stored count with Cassandra.
 */
export class RunExecution {
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private stopRequested = false;
  private interruptReason: string | undefined;
  private fetched = 0;
  private produced = 0;
  /** Partitions of the topic this run wrote to. */
  private readonly partitions = new Set<number>();
  private lastHeartbeat: Promise<void> = Promise.resolve();
  readonly done: Promise<void>;

  constructor(
    readonly runId: string,
    private readonly params: RunParams,
    private readonly source: UserSource,
    private readonly deps: RunExecutionDeps,
  ) {
    this.logger = new Logger(`Run ${runId.slice(0, 8)}`);
    this.done = this.execute();
  }

  /** Stops producing at once (aborting a rate wait or a source request in flight). */
  stop(): void {
    this.stopRequested = true;
    this.abort.abort();
  }

  /** Stops as `stop` does, but the run ends as interrupted (this process is shutting down). */
  interrupt(reason: string): void {
    this.interruptReason = reason;
    this.stop();
  }

  /** `topic` overrides where records go; the format only says what they look like. */
  private get topic(): string {
    return this.params.topic ?? (this.params.format === 'seed' ? this.deps.seedTopic : this.deps.rawTopic);
  }

  /** Only records on a topic the processor reads get processed, so only then is there anything to wait for. */
  private get processed(): boolean {
    return this.topic === this.deps.rawTopic || this.topic === this.deps.seedTopic;
  }

  private async execute(): Promise<void> {
    const heartbeat = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    let outcome: Outcome;
    try {
      await this.produceAll();
      outcome = this.stopRequested ? this.stoppedOutcome() : await this.drain();
    } catch (error) {
      outcome = this.stopRequested
        ? this.stoppedOutcome()
        : { state: 'failed', error: (error as Error).message };
    } finally {
      clearInterval(heartbeat);
    }
    await this.finish(outcome);
  }

  /**
   * Page N+1 is fetched (or generated) while page N is serialised and sent, and up to PAGES_IN_FLIGHT pages
   * wait for their acknowledgements, so neither the source nor the broker waits for the other.
   */
  private async produceAll(): Promise<void> {
    const { ratePerSecond, batchSize, durationSeconds } = this.params;
    const bucket = new TokenBucket(ratePerSecond, Math.max(batchSize, Math.ceil(ratePerSecond / 10)));
    const deadline = durationSeconds ? Date.now() + durationSeconds * 1000 : Infinity;
    const inFlight = new Set<Promise<void>>();
    let sendError: Error | undefined;
    let emptyPages = 0;

    let next = this.fetchPage(bucket, deadline);
    try {
      for (let page = await next; page && !sendError; page = await next) {
        next = this.fetchPage(bucket, deadline);
        if (page.records.length === 0) {
          emptyPages++;
          await this.deps.runs
            .appendError(this.runId, 'the source answered with no users')
            .catch(() => undefined);
          if (emptyPages >= MAX_EMPTY_PAGES) {
            throw new Error(`the source answered with no users ${MAX_EMPTY_PAGES} times in a row`);
          }
          continue;
        }
        emptyPages = 0;
        const count = page.records.length;
        const send = this.sendWithRetry(this.toMessages(page)).then(
          (metadata) => this.recordProduced(metadata, count),
          (error: Error) => {
            sendError ??= error;
          },
        );
        inFlight.add(send);
        void send.finally(() => inFlight.delete(send));
        if (inFlight.size >= PAGES_IN_FLIGHT) await Promise.race(inFlight);
      }
    } finally {
      // a page fetched ahead that is no longer wanted; its failure (an abort, mostly) means nothing now
      void next.catch(() => undefined);
      await Promise.all(inFlight);
    }
    if (sendError) throw new Error(`producing to ${this.topic} failed: ${sendError.message}`);
  }

  /** The next page, at the requested rate; null once the run has all it asked for (or is stopped). */
  private async fetchPage(bucket: TokenBucket, deadline: number): Promise<Page | null> {
    const signal = this.abort.signal;
    const remaining = (this.params.maxRecords ?? Infinity) - this.fetched;
    if (signal.aborted || remaining <= 0 || Date.now() >= deadline) return null;
    const count = Math.min(this.params.batchSize, remaining);
    await bucket.take(count, signal);
    if (signal.aborted || Date.now() >= deadline) return null;
    const records = (await this.source.nextEncoded(count, this.encode, signal)).slice(0, count);
    if (signal.aborted) return null;
    this.fetched += records.length;
    return { records, fetchedAt: new Date() };
  }

  private async sendWithRetry(messages: Message[]): Promise<RecordMetadata[]> {
    const giveUpAt = Date.now() + SEND_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        // a stop drops what has not left yet: it must not keep producing while requests queue
        return await this.deps.producer.sendUnordered(this.topic, messages, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted || Date.now() >= giveUpAt) throw error;
        const message = `producing to ${this.topic} failed (attempt ${attempt}), retrying: ${(error as Error).message}`;
        this.logger.warn(message);
        if (attempt === 1) await this.deps.runs.appendError(this.runId, message).catch(() => undefined);
        await sleep(Math.min(5_000, 500 * attempt), this.abort.signal);
      }
    }
  }

  /**
   * A user -> its record's key and value bytes, as the source makes it: requests are sized by these bytes,
   * and the user object is garbage at once instead of waiting, a page at a time, for its acknowledgement.
   */
  private readonly encode = (user: unknown): Pick<Message, 'key' | 'value'> =>
    this.params.format === 'seed'
      ? // the tutorial's records carry no key; the processor keys its row by the record's id
        { key: null, value: Buffer.from(JSON.stringify(toSeedUser(user))) }
      : { key: userKey(user), value: Buffer.from(JSON.stringify(user)) };

  private toMessages({ records, fetchedAt }: Page): Message[] {
    const headers = {
      [RawUserHeaders.runId]: this.runId,
      [RawUserHeaders.source]: this.source.kind,
      [RawUserHeaders.fetchedAt]: fetchedAt.toISOString(),
      [RawUserHeaders.ingestedAt]: new Date().toISOString(),
    };
    return records.map(({ key, value }) => ({ key, value, headers }));
  }

  private recordProduced(metadata: RecordMetadata[], count: number): void {
    this.produced += count;
    for (const { partition } of metadata) this.partitions.add(partition);
  }

  /**
   * Completed only when the processor group has committed past every record this run produced: every
   * send was acknowledged, so each partition's high watermark now lies beyond this run's last record.
   */
  private async drain(): Promise<Outcome> {
    if (!this.processed) return { state: 'completed' };
    const ends = await this.deps.topics.highWatermarks(this.topic, [...this.partitions]);
    const deadline = Date.now() + this.deps.drainTimeoutMs;
    while (!this.stopRequested) {
      const committed = await this.deps.topics
        .committedOffsets(this.deps.processorGroupId, this.topic)
        .catch(() => []);
      const behind = ends.filter(({ partition, offset }) => {
        const done = committed.find((c) => c.partition === partition)?.offset ?? '-1';
        return BigInt(done) < BigInt(offset);
      });
      if (behind.length === 0) return { state: 'completed' };
      if (Date.now() > deadline) {
        return {
          state: 'failed',
          error:
            `processing did not catch up within ${Math.round(this.deps.drainTimeoutMs / 1000)} s ` +
            `(${behind.length} partition(s) behind): are the processors running?`,
        };
      }
      await sleep(500, this.abort.signal);
    }
    return { state: 'stopped' };
  }

  private stoppedOutcome(): Outcome {
    return this.interruptReason
      ? { state: 'interrupted', error: this.interruptReason }
      : { state: 'stopped' };
  }

  private async finish(outcome: Outcome): Promise<void> {
    try {
      await this.heartbeat();
      const fields: { finishedAt: Date; error?: string; stored?: number } = { finishedAt: new Date() };
      if (outcome.state === 'interrupted') fields.error = outcome.error;
      if (outcome.state === 'failed') {
        fields.error = outcome.error;
        await this.deps.runs.appendError(this.runId, outcome.error);
      }
      // seed users are stored apart from `users`: their stored count is the processors' own
      if (outcome.state === 'completed' && this.topic === this.deps.rawTopic) {
        await sleep(COUNTER_SETTLE_MS);
        const stored = await this.countStored();
        if (stored !== undefined) fields.stored = stored;
      }
      await this.deps.runs.transition(this.runId, ['running', 'stopping'], outcome.state, fields);
      this.logger.log(`${outcome.state}: fetched ${this.fetched}, produced ${this.produced}`);
    } catch (error) {
      this.logger.error(`could not record the end of the run: ${(error as Error).message}`);
    }
  }

  /** Heartbeats are chained, so an older write can never land after the final one. */
  private heartbeat(): Promise<void> {
    this.lastHeartbeat = this.lastHeartbeat.then(async () => {
      try {
        await this.deps.runs.heartbeat(this.runId, { fetched: this.fetched, produced: this.produced });
      } catch (error) {
        this.logger.warn(`run heartbeat not saved: ${(error as Error).message}`);
      }
    });
    return this.lastHeartbeat;
  }

  /** The exact stored count, read back from Cassandra; a loaded node may time out, so try a few times. */
  private async countStored(): Promise<number | undefined> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        return await this.deps.users.countByRun(this.runId);
      } catch (error) {
        this.logger.warn(`counting stored users failed (attempt ${attempt}): ${(error as Error).message}`);
        await sleep(1_000 * attempt);
      }
    }
    await this.deps.runs
      .appendError(
        this.runId,
        "the stored count could not be read back from Cassandra; it shows the processors' count",
      )
      .catch(() => undefined);
    return undefined;
  }
}
