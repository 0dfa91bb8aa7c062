import { Logger } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import { type RawUser, RawUserHeaders, type RunParams } from '@userstream/contracts';
import type { KafkaAdminRepository, KafkaProducerService, RunRecord } from '#src/kafka/index.js';
import type { MetricsService } from '#src/metrics/index.js';
import { backoff, retry, sleep } from '#src/common/index.js';
import type { TracingService } from '#src/tracing/index.js';
import type { RunsRepository } from '#src/run-store/index.js';
import { type UsersRepository, deriveUserId } from '#src/users/index.js';
import { toSeedUser } from '../formats/seed-user.format.js';
import type { UserSource } from '../sources/user-source.js';
import { DrainWatch } from './drain-watch.js';
import { RunEventLog } from './run-event-log.js';
import type { RunEventsRepository } from './run-events.repository.js';
import { TokenBucket } from './token-bucket.js';

/**
 * Source pages whose records are not all acknowledged yet. With the next page fetched (or generated) while
 * these are sent, the broker always has work queued; bounded, so memory is too.
 */
const PAGES_IN_FLIGHT = 3;
const MAX_EMPTY_PAGES = 10;
const HEARTBEAT_MS = 1_000;
/**
 * A broker restart takes seconds; the producer's own retries give up sooner when no broker answers at all.
 * A send is retried for this long before the run fails. A retried send may write a batch twice: harmless,
 * since users are keyed and stored by id.
 */
const SEND_RETRY_MS = 90_000;
/**
 * The end of a run is written until PostgreSQL takes it, heartbeating meanwhile (so no backend reaps the run
 * as interrupted). On shutdown the backend gives up after this long; its own last resort marks the run.
 */
const FINISH_RETRY_MAX_MS = 5_000;
const FINISH_GIVE_UP_ON_SHUTDOWN_MS = 10_000;
const EVENT_FLUSH_WAIT_MS = 5_000;
/** Reading back a run's stored count from Cassandra, a second apart. */
const COUNT_ATTEMPTS = 4;

export interface RunExecutionDeps {
  runs: RunsRepository;
  events: RunEventsRepository;
  producer: KafkaProducerService;
  kafkaAdmin: KafkaAdminRepository;
  users: UsersRepository;
  metrics: Pick<MetricsService, 'recordsFetched' | 'recordsProduced'>;
  tracing: Pick<TracingService, 'startSpan' | 'fail'>;
  drainTimeoutMs: number;
  processorGroupId: string;
  rawTopic: string;
  /** Where seed-format runs write (the tutorial's `users_created`); the processor reads it too. */
  seedTopic: string;
}

/** The Kafka key: the user's id, or none for a record too broken to have one (it is dead-lettered). */
function userKey(user: unknown): string | null {
  if (typeof user !== 'object' || user === null) {
    return null;
  }
  try {
    return deriveUserId(user as RawUser);
  } catch {
    return null;
  }
}

/** A source page, already encoded: each user's key and value bytes. */
interface Page {
  records: Pick<RunRecord, 'key' | 'value'>[];
  fetchedAt: Date;
  /** From the source request until the broker acknowledged the page (or the page was dropped). */
  span: Span;
}

/** Nest's logger with the run id as a field of every line (nestjs-pino merges an object message into the line). */
class RunLogger {
  private readonly logger: Logger;

  constructor(private readonly runId: string) {
    this.logger = new Logger(`Run ${runId.slice(0, 8)}`);
  }

  log(msg: string): void {
    this.logger.log({ runId: this.runId, msg });
  }

  warn(msg: string): void {
    this.logger.warn({ runId: this.runId, msg });
  }

  error(msg: string): void {
    this.logger.error({ runId: this.runId, msg });
  }
}

type Outcome = { state: 'completed' | 'stopped' } | { state: 'failed' | 'interrupted'; error: string };

/**
 * One ingestion run in this process: fetch from the source at the requested rate, produce to Kafka
 * with bounded sends in flight (a slow broker slows the run), then wait until the processors have
 * committed everything it produced, and reconcile the stored count with Cassandra.
 */
export class RunExecution {
  private readonly logger: RunLogger;
  private readonly abort = new AbortController();
  private stopRequested = false;
  private interruptReason: string | undefined;
  private fetched = 0;
  private produced = 0;
  /** Partitions of the topic this run wrote to. */
  private readonly partitions = new Set<number>();
  private lastHeartbeat: Promise<void> = Promise.resolve();
  private heartbeatPending = false;
  /** The run's event log (started, retries, errors, some source pages, its end). */
  readonly log: RunEventLog;
  readonly done: Promise<void>;

  /** `origin` says who started the run (and for a schedule, which firing), for its `started` event. */
  constructor(
    readonly runId: string,
    private readonly params: RunParams,
    private readonly source: UserSource,
    private readonly deps: RunExecutionDeps,
    origin: { reason?: string; firingDueAt?: Date } = {},
  ) {
    this.logger = new RunLogger(runId);
    this.log = new RunEventLog(runId, deps.events);
    this.log.record('started', origin.reason ?? 'started', {
      params,
      topic: this.topic,
      ...(origin.firingDueAt && { firingDueAt: origin.firingDueAt.toISOString() }),
    });
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

  /** Heartbeats go on until the end is recorded: until then the run is alive, whatever PostgreSQL said last. */
  private async execute(): Promise<void> {
    // one heartbeat at a time: during an outage each waits for its connection to time out
    const heartbeat = setInterval(() => {
      if (!this.heartbeatPending) {
        void this.heartbeat();
      }
    }, HEARTBEAT_MS);
    try {
      let outcome: Outcome;
      try {
        await this.produceAll();
        outcome = this.stopRequested ? this.stoppedOutcome() : await this.drain();
      } catch (error) {
        outcome = this.stopRequested
          ? this.stoppedOutcome()
          : { state: 'failed', error: (error as Error).message };
      }
      await this.finish(outcome);
    } finally {
      clearInterval(heartbeat);
    }
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
          page.span.end();
          emptyPages++;
          this.log.record('error', 'the source answered with no users');
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
        this.log.page(count, { fetched: this.fetched });
        const { span } = page;
        const send = this.sendWithRetry(this.toMessages(page)).then(
          (partitions) => {
            this.recordProduced(partitions, count);
            span.end();
          },
          (error: Error) => {
            sendError ??= error;
            this.deps.tracing.fail(span, error);
          },
        );
        inFlight.add(send);
        void send.finally(() => inFlight.delete(send));
        if (inFlight.size >= PAGES_IN_FLIGHT) {
          await Promise.race(inFlight);
        }
      }
    } finally {
      // a page fetched ahead that is no longer wanted; its failure (an abort, mostly) means nothing now
      void next.then(
        (page) => page?.span.end(),
        () => undefined,
      );
      await Promise.all(inFlight);
    }
    if (sendError) {
      throw new Error(`producing to ${this.topic} failed: ${sendError.message}`);
    }
  }

  /** The next page, at the requested rate; null once the run has all it asked for (or is stopped). */
  private async fetchPage(bucket: TokenBucket, deadline: number): Promise<Page | null> {
    const signal = this.abort.signal;
    const remaining = (this.params.maxRecords ?? Infinity) - this.fetched;
    if (signal.aborted || remaining <= 0 || Date.now() >= deadline) {
      return null;
    }
    const count = Math.min(this.params.batchSize, remaining);
    await bucket.take(count, signal);
    if (signal.aborted || Date.now() >= deadline) {
      return null;
    }
    const span = this.deps.tracing.startSpan('ingestion.source_page', {
      'userstream.run_id': this.runId,
      'userstream.source': this.source.kind,
      'messaging.destination.name': this.topic,
    });
    let records: Page['records'];
    try {
      records = (await this.source.nextEncoded(count, this.encode, signal)).slice(0, count);
    } catch (error) {
      this.deps.tracing.fail(span, error);
      throw error;
    }
    span.setAttribute('userstream.records', records.length);
    if (signal.aborted) {
      span.end();
      return null;
    }
    this.fetched += records.length;
    this.deps.metrics.recordsFetched(this.source.kind, records.length);
    return { records, fetchedAt: new Date(), span };
  }

  private sendWithRetry(records: RunRecord[]): Promise<number[]> {
    return retry(
      // a stop drops what has not left yet: it must not keep producing while requests queue
      () => this.deps.producer.sendUnordered(this.topic, records, this.abort.signal),
      {
        delayMs: backoff.linear(500, 5_000),
        giveUpAfterMs: SEND_RETRY_MS,
        signal: this.abort.signal,
        onRetry: async (error, attempt) => {
          const message = `producing to ${this.topic} failed (attempt ${attempt}), retrying: ${(error as Error).message}`;
          this.logger.warn(message);
          this.log.record('retry', message, { attempt });
          if (attempt === 1) {
            await this.deps.runs.appendError(this.runId, message).catch(() => undefined);
          }
        },
      },
    );
  }

  /**
   * A user -> its record's key and value bytes, as the source makes it: requests are sized by these bytes,
   * and the user object is garbage at once instead of waiting, a page at a time, for its acknowledgement.
   */
  private readonly encode = (user: unknown): Pick<RunRecord, 'key' | 'value'> =>
    this.params.format === 'seed'
      ? // the tutorial's records carry no key; the processor keys its row by the record's id
        { key: null, value: Buffer.from(JSON.stringify(toSeedUser(user))) }
      : { key: userKey(user), value: Buffer.from(JSON.stringify(user)) };

  private toMessages({ records, fetchedAt }: Page): RunRecord[] {
    const headers = {
      [RawUserHeaders.runId]: this.runId,
      [RawUserHeaders.source]: this.source.kind,
      [RawUserHeaders.fetchedAt]: fetchedAt.toISOString(),
      [RawUserHeaders.ingestedAt]: new Date().toISOString(),
    };
    return records.map(({ key, value }) => ({ key, value, headers }));
  }

  private recordProduced(partitions: number[], count: number): void {
    this.produced += count;
    this.deps.metrics.recordsProduced(this.source.kind, count);
    for (const partition of partitions) {
      this.partitions.add(partition);
    }
  }

  /**
   * Completed only when the processor group has committed past every record this run produced: every
   * send was acknowledged, so each partition's high watermark now lies beyond this run's last record.
   * Failed when the group's commits stop moving for `drainTimeoutMs` (no processor, or one that is stuck); a
   * slow drain that keeps moving (a node lost and back, a large backlog) is waited for.
   */
  private async drain(): Promise<Outcome> {
    if (!this.processed) {
      return { state: 'completed' };
    }
    const ends = await this.deps.kafkaAdmin.topicWatermarks(this.topic, [...this.partitions]);
    const watch = new DrainWatch(ends, this.deps.drainTimeoutMs);
    while (!this.stopRequested) {
      const { processorGroupId } = this.deps;
      const committed = await this.deps.kafkaAdmin
        .committedOffsets([processorGroupId], this.topic)
        .then((offsets) => offsets.get(processorGroupId) ?? [])
        .catch(() => []);
      const drain = watch.observe(committed);
      if (drain.state === 'done') {
        return { state: 'completed' };
      }
      if (drain.state === 'stalled') {
        return {
          state: 'failed',
          error:
            `processing made no progress for ${Math.round(this.deps.drainTimeoutMs / 1000)} s ` +
            `(${drain.behind} partition(s) behind, ${drain.left} record(s) left): are the processors running?`,
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
    const end: Parameters<RunsRepository['finish']>[1] = {
      state: outcome.state,
      counters: { fetched: this.fetched, produced: this.produced },
    };
    if (outcome.state === 'interrupted' || outcome.state === 'failed') {
      end.error = outcome.error;
    }
    end.logError = outcome.state === 'failed';
    // a drained run's counters are whole: processors save them before committing the records they count.
    // Seed users are stored apart from `users`: their stored count is the processors' own
    if (outcome.state === 'completed' && this.processed && this.topic === this.deps.rawTopic) {
      const stored = await this.countStored();
      if (stored !== undefined) {
        end.stored = stored;
      }
    }
    // after the last heartbeat, so no older write lands on top of the end
    await this.lastHeartbeat;
    const recorded = await this.recordEnd(end);
    if (!recorded) {
      return;
    }
    this.logger.log(`${outcome.state}: fetched ${this.fetched}, produced ${this.produced}`);
    const counts =
      `fetched ${this.fetched}, produced ${this.produced}` +
      (end.stored === undefined ? '' : `, stored ${end.stored}`);
    this.log.record(
      outcome.state,
      'error' in outcome ? `${outcome.state}: ${outcome.error} (${counts})` : `${outcome.state}: ${counts}`,
      {
        fetched: this.fetched,
        produced: this.produced,
        ...(end.stored === undefined ? {} : { stored: end.stored }),
      },
    );
    // the log waits for PostgreSQL no longer than this: its end is already recorded
    await Promise.race([this.log.flushed(), sleep(EVENT_FLUSH_WAIT_MS)]);
  }

  /**
   * Writes the end until PostgreSQL takes it (a run that finished during an outage still ends as it finished).
   * True once written, false if the run had already ended otherwise (or the backend is shutting down).
   */
  private async recordEnd(end: Parameters<RunsRepository['finish']>[1]): Promise<boolean> {
    let giveUpAt = Infinity;
    try {
      const moved = await retry(() => this.deps.runs.finish(this.runId, end), {
        delayMs: backoff.linear(250, FINISH_RETRY_MAX_MS),
        retryable: () => {
          if (this.interruptReason !== undefined) {
            giveUpAt = Math.min(giveUpAt, Date.now() + FINISH_GIVE_UP_ON_SHUTDOWN_MS);
          }
          return Date.now() < giveUpAt;
        },
        onRetry: (error, attempt) => {
          if (attempt === 1) {
            this.logger.error(`could not record the end of the run, retrying: ${(error as Error).message}`);
          }
        },
      });
      if (!moved) {
        this.logger.warn(`the run had already ended; ${end.state} not recorded`);
      }
      return moved;
    } catch {
      return false;
    }
  }

  /**
   * Heartbeats are chained, so an older write can never land after the final one. The answer is the run's
   * state: `stopping` (asked through another backend) or an end recorded by someone else stops production.
   */
  private heartbeat(): Promise<void> {
    this.heartbeatPending = true;
    this.lastHeartbeat = this.lastHeartbeat.then(async () => {
      try {
        const state = await this.deps.runs.heartbeat(this.runId, {
          fetched: this.fetched,
          produced: this.produced,
        });
        if (!this.stopRequested && state !== 'running' && state !== 'pending') {
          this.logger.log(`the run is ${state ?? 'gone'} in the database: stopping`);
          this.stop();
        }
      } catch (error) {
        this.logger.warn(`run heartbeat not saved: ${(error as Error).message}`);
      } finally {
        this.heartbeatPending = false;
      }
    });
    return this.lastHeartbeat;
  }

  /** The exact stored count, read back from Cassandra; a loaded node may time out, so try a few times. */
  private async countStored(): Promise<number | undefined> {
    try {
      return await retry(() => this.deps.users.countByRun(this.runId), {
        delayMs: backoff.linear(1_000),
        maxAttempts: COUNT_ATTEMPTS,
        onRetry: (error, attempt) =>
          this.logger.warn(`counting stored users failed (attempt ${attempt}): ${(error as Error).message}`),
      });
    } catch (error) {
      this.logger.warn(
        `counting stored users failed (attempt ${COUNT_ATTEMPTS}): ${(error as Error).message}`,
      );
    }
    this.log.record('error', 'the stored count could not be read back from Cassandra');
    await this.deps.runs
      .appendError(
        this.runId,
        "the stored count could not be read back from Cassandra; it shows the processors' count",
      )
      .catch(() => undefined);
    return undefined;
  }
}
