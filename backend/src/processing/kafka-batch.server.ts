import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { retry, waitFor, withTimeout } from '#src/common/index.js';
import {
  OffsetsReader,
  partitionLag,
  ConsumerRestarts,
  METADATA_MAX_AGE_MS,
  noRestart,
} from '#src/kafka/index.js';
import { PartitionOffsets, type TrackedRecord } from './partition-offsets.js';

/** What an `@EventPattern(topic)` handler receives: the new records of one fetched batch of one partition. */
export interface KafkaBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** Stops fetching this partition until the returned function is called; pauses nest (counted). */
  pause(): () => void;
  /** False once the consumer is stopping: retries should give up so the process can exit. */
  isRunning(): boolean;
  /**
   * False once this process lost the partition (a rebalance gave it to another member, or a new consumer replaced
   * the one that fetched the batch): its next owner reads these records again from the last commit, so what is
   * not written yet need not be.
   */
  isOwned(): boolean;
}

/**
 * What a handler resolves with, once it has taken the batch: one promise per message, settled when that record
 * is stored or dead-lettered. The handler must not wait for them, so the next fetch overlaps the writes.
 */
export type BatchReceipt = readonly Promise<unknown>[];

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  partitionsConsumedConcurrently: number;
  /** The topic each handler pattern (a contract topic name) reads: KAFKA_TOPIC_PREFIX, SEED_TOPIC. */
  topics: Readonly<Record<string, string>>;
  commitIntervalMs?: number;
  /** A consumer that has not fetched for this long is replaced (default STUCK_MS, see ConsumerRestarts). */
  stuckAfterMs?: number;
  /** A partition with work that has neither fetched nor committed for this long is reported (default 30 s). */
  stallReportMs?: number;
  /** How often owned partitions are compared with their high watermarks (default 10 s). */
  watermarkCheckMs?: number;
  /** An owned, unpaused partition with records to read and no fetch for this long gets a new consumer (30 s). */
  unreadAfterMs?: number;
  /** A watermark read with no answer after this long is given up, with its admin client (20 s). */
  watermarkReadTimeoutMs?: number;
  /** A commit with no answer after this long is given up (10 s). */
  commitTimeoutMs?: number;
  /** Commits failing for this long get a new consumer (30 s). */
  commitFailingMs?: number;
  /** A commit waits no longer for the save before it (5 s; see saveBeforeCommit). */
  saveBeforeCommitMs?: number;
}

/** Subscribing right after a topic's creation can meet a broker that does not serve it yet: retry a while. */
function subscribeWithRetry(consumer: Consumer, topic: string, timeoutMs = 60_000): Promise<void> {
  return retry(() => consumer.subscribe({ topic, fromBeginning: true }), {
    delayMs: () => 500,
    giveUpAfterMs: timeoutMs,
    retryable: (error) => (error as { retriable?: boolean }).retriable === true,
  });
}

/** Wait before replacing a consumer that crashed for good. */
const RESTART_MS = 2_000;
/** How long a shutdown waits for records in flight to finish before leaving them to the next owner. */
const DRAIN_TIMEOUT_MS = 20_000;

interface AssignedPartition {
  topic: string;
  partition: number;
  offsets: PartitionOffsets;
  /** Records left to read: from the last fetch, or from the watermarks before the first fetch or while unread. */
  lag: number;
  /** When it last fetched records or committed; a partition with work that moves neither is stalled. */
  movedAt: number;
  /** A stall already reported, so it is reported once. */
  stallReported: boolean;
  /** When it was assigned or last fetched records. */
  fetchedAt: number;
  /** The offset after the last record fetched; null until the first fetch. */
  next: bigint | null;
}

/** A partition with records to read, in flight or to commit that has neither fetched nor committed for this long is reported. */
const STALL_REPORT_MS = 30_000;
const WATERMARK_CHECK_MS = 10_000;
/**
 * kafkajs fetches a partition only from the broker its metadata names as leader, through fetchers made for the
 * brokers it knew: after a broker loss it has been seen leaving an owned partition unread for minutes, with no error
 * and while fetching others. A new consumer starts from fresh metadata and the committed offsets.
 */
const UNREAD_AFTER_MS = 30_000;
/** kafkajs calls can hang on a cluster that lost a broker: a check that never ends would leave the check blind. */
const WATERMARK_READ_TIMEOUT_MS = 20_000;
/** One commit is given up after this long (kafkajs may retry it for minutes); the next tick commits again. */
const COMMIT_TIMEOUT_MS = 10_000;
/** Commits failing for this long get a new consumer (see replaceIfCommitsFail). */
const COMMIT_FAILING_MS = 30_000;
/** Watermark reads that keep failing are said again at most this often. */
const FAILURE_REPEAT_MS = 60_000;
/**
 * A partition that has caught up (nothing in flight, nothing left to read) commits this soon rather than on the
 * next tick: at the end of a burst the group's lag reaches 0, and runs waiting on it complete, up to a commit
 * interval sooner. A slow steady flow catches up after each batch: that is at most one small commit this often.
 */
const CAUGHT_UP_COMMIT_MS = 50;
/** What a commit waits for the save before it (PostgreSQL down or slow): the offsets go, the save is retried. */
const SAVE_BEFORE_COMMIT_MS = 5_000;

/** A partition this process owns, as readiness shows it and metrics read it. */
export interface OwnedPartition {
  topic: string;
  partition: number;
  /** Records left to read (from the last fetch, or the watermarks). */
  lag: number;
  /** Records handed to handlers and not yet stored or dead-lettered. */
  inFlight: number;
  /** Its writes paused it (backpressure or a retried store error). */
  paused: boolean;
  /** Since it was assigned or last fetched records. */
  fetchedAgoMs: number;
}

/** What readiness and metrics read of the consumer. */
export interface ConsumerState {
  /** In the group: joined since its last start and not crashed or closing (it may own no partition). */
  joined(): boolean;
  ownedPartitions(): OwnedPartition[];
}

/**
 * A Nest transport for a pipelined consumer. Handlers take a batch and return at once with a promise per record;
 * the transport fetches on while those records are written, and commits each partition on a short timer (and
 * before a rebalance and at shutdown) up to its highest contiguous finished offset: never past an unwritten row.
 * After a rebalance it forgets the partitions it lost, so it never commits for another member, and it skips the
 * replay of records it is still working on for the partitions it kept.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy, ConsumerState {
  private consumer: Consumer | undefined;
  private inGroup = false;
  private partitions = new Map<string, AssignedPartition>();
  private readonly pauses = new Map<string, number>();
  private commitTimer: NodeJS.Timeout | undefined;
  private caughtUpCommit: NodeJS.Timeout | undefined;
  private watermarkTimer: NodeJS.Timeout | undefined;
  private readonly offsetsReader: OffsetsReader;
  private checkingWatermarks = false;
  /** Watermark checks failed in a row, and when that was last said. */
  private watermarkFailures = { count: 0, saidAt: 0 };
  private committing: Promise<void> | undefined;
  private saveFirst: () => Promise<boolean> = () => Promise.resolve(true);
  /** The first failed commit since the last one that succeeded. */
  private commitFailingSince: number | undefined;
  private closing = false;
  /** Replaces the consumer when it crashed, went silent, left a partition unread or cannot commit. */
  private readonly restarts: ConsumerRestarts;
  protected override readonly logger = new Logger(KafkaBatchServer.name);

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.offsetsReader = new OffsetsReader(options.kafka);
    this.restarts = new ConsumerRestarts({
      logger: this.logger,
      current: () => this.consumer,
      start: () => this.start(),
      delayMs: RESTART_MS,
      ...(options.stuckAfterMs === undefined ? {} : { stuckAfterMs: options.stuckAfterMs }),
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      this.commitTimer = setInterval(() => {
        this.replaceIfStuck();
        this.reportStalls();
        void this.commit();
      }, this.options.commitIntervalMs ?? 500);
      this.watermarkTimer = setInterval(
        () => void this.replaceIfUnread(),
        this.options.watermarkCheckMs ?? WATERMARK_CHECK_MS,
      );
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      // handlers never hold the fetch loop, so heartbeats go on however slow the store is; a killed
      // processor's partitions move to the others after this long
      sessionTimeout: 15_000,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: 1_048_576,
      // kafkajs sleeps this long when every partition is paused, and the broker holds an empty fetch this long:
      // keep it short so a partition resumed after backpressure is read again at once
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      metadataMaxAge: METADATA_MAX_AGE_MS,
      // a crash is always ours to handle (below): kafkajs's own restart could revive a consumer closed meanwhile
      retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: noRestart },
    });
    this.consumer = consumer;
    this.partitions = new Map();
    this.pauses.clear();
    this.inGroup = false;
    this.commitFailingSince = undefined;
    // after a crash (a broker restart can end in one) a new consumer starts, which reads on from the committed
    // offsets: the process must not stay up consuming nothing
    this.restarts.watch(consumer);
    consumer.on(consumer.events.CRASH, () => (this.inGroup = false));
    // last chance to commit what is stored with the generation that owns it
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.inGroup = true;
      this.keepOnly(payload.memberAssignment);
      const handled = new Set(Object.values(this.options.topics));
      const owned: string[] = [];
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        if (!handled.has(topic)) {
          continue;
        }
        for (const partition of partitions) {
          this.assigned(topic, partition);
        }
        owned.push(`${topic}[${partitions.join(', ')}]`);
      }
      this.logger.log(`joined the group: owns ${owned.join(' ') || 'no partition'}`);
    });
    await consumer.connect();
    for (const pattern of this.getHandlers().keys()) {
      const topic = this.options.topics[pattern];
      if (!topic) {
        throw new Error(`no topic configured for handler ${pattern}`);
      }
      await subscribeWithRetry(consumer, topic);
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private replaceIfStuck(): void {
    if (this.restarts.replaceIfStuck(0)) {
      this.inGroup = false;
    }
  }

  /**
   * Compares every owned partition with its high watermark (and, before its first fetch, the group's committed
   * offset), so a partition that kafkajs does not fetch shows its lag; one that stays unread while not paused gets
   * a new consumer.
   */
  private async replaceIfUnread(): Promise<void> {
    const consumer = this.consumer;
    if (this.closing || this.restarts.replacing || !this.inGroup || this.checkingWatermarks || !consumer) {
      return;
    }
    const entries = [...this.partitions.values()];
    if (entries.length === 0) {
      return;
    }
    this.checkingWatermarks = true;
    try {
      await withTimeout(
        this.readLags(entries),
        this.options.watermarkReadTimeoutMs ?? WATERMARK_READ_TIMEOUT_MS,
        'reading watermarks',
      );
    } catch (error) {
      // kafkajs's admin gives up on a leader that moved without refreshing its metadata (5 min old at most), and
      // may hang: the next check starts a new admin client, from fresh metadata
      this.watermarkReadFailed((error as Error).message);
      void this.offsetsReader.drop();
      return;
    } finally {
      this.checkingWatermarks = false;
    }
    if (this.watermarkFailures.count > 0) {
      this.logger.log(`read the watermarks again after ${this.watermarkFailures.count} failed check(s)`);
      this.watermarkFailures = { count: 0, saidAt: 0 };
    }
    const now = Date.now();
    const afterMs = this.options.unreadAfterMs ?? UNREAD_AFTER_MS;
    const unread = entries.filter(
      ({ topic, partition, lag, fetchedAt }) =>
        lag > 0 && now - fetchedAt >= afterMs && !this.pauses.has(`${topic}:${partition}`),
    );
    if (unread.length === 0) {
      return;
    }
    const names = unread.map(({ topic, partition, lag }) => `${topic}[${partition}] (${lag} to read)`);
    if (
      this.restarts.replace(
        consumer,
        `${names.join(', ')} not fetched for ${Math.round(afterMs / 1000)} s`,
        0,
      )
    ) {
      this.inGroup = false;
    }
  }

  /**
   * Sets each entry's lag from its topic's high watermark and (before its first fetch) the group's offset, and
   * commits again a partition whose group offset went back behind what this process had committed.
   */
  private async readLags(entries: AssignedPartition[]): Promise<void> {
    for (const topic of new Set(entries.map((entry) => entry.topic))) {
      const owned = entries.filter((entry) => entry.topic === topic);
      // taken before the group's offsets are asked for: a commit acknowledged by then is in their answer
      const ours = new Map(owned.map((entry) => [entry, entry.offsets.lastCommitted]));
      const { watermarks, committed } = await this.offsetsReader.read(topic, this.options.groupId);
      for (const entry of owned) {
        const offset = committed.find(({ partition }) => partition === entry.partition)?.offset;
        const group = offset !== undefined && offset >= 0 ? BigInt(offset) : null;
        this.commitAgainIfBehind(entry, ours.get(entry) ?? null, group);
        const marks = watermarks.find(({ partition }) => partition === entry.partition);
        if (marks) {
          const position = entry.next ?? group;
          entry.lag = partitionLag(position === null ? null : Number(position), marks.low, marks.high);
        }
      }
    }
  }

  /**
   * kafkajs retries a failed commit inside its own rejoin, with the new generation, so the broker takes it: a
   * commit sent by a partition's last owner as a rebalance began can land after the new owner committed past it,
   * moving the group's offset back. Nothing is lost (the records were stored), but the new owner, with nothing
   * new to commit, would never move it forward again, and a run waiting for that partition would never end.
   */
  private commitAgainIfBehind(entry: AssignedPartition, ours: bigint | null, group: bigint | null): void {
    const current = this.partitions.get(`${entry.topic}:${entry.partition}`) === entry;
    if (ours === null || (group !== null && group >= ours) || !current) {
      return;
    }
    this.logger.warn(
      `${entry.topic}[${entry.partition}]: the group's committed offset ${group ?? 'none'} is behind the ` +
        `${ours} this process committed (a late commit of its last owner?); committing again`,
    );
    entry.offsets.commitAgain();
  }

  /** Said at the first failure, then at most once a minute while they go on (each check fails every 10 s). */
  private watermarkReadFailed(reason: string): void {
    const now = Date.now();
    const failures = this.watermarkFailures;
    failures.count++;
    if (failures.count > 1 && now - failures.saidAt < FAILURE_REPEAT_MS) {
      return;
    }
    failures.saidAt = now;
    this.logger.warn(
      `could not read the watermarks of owned partitions (${failures.count} check(s) in a row): ${reason}`,
    );
  }

  /** Says which partition holds a run back, and on what: a record in flight, or records it does not fetch. */
  private reportStalls(): void {
    const now = Date.now();
    for (const entry of this.partitions.values()) {
      const { topic, partition, offsets, lag } = entry;
      const uncommitted = offsets.toCommit();
      if (offsets.inFlight === 0 && lag === 0 && uncommitted === null) {
        entry.movedAt = now;
      }
      if (now - entry.movedAt < (this.options.stallReportMs ?? STALL_REPORT_MS) || entry.stallReported) {
        continue;
      }
      entry.stallReported = true;
      const paused = this.pauses.has(`${topic}:${partition}`) ? 'paused' : 'not paused';
      this.logger.warn(
        `${topic}[${partition}] has neither fetched nor committed for ${Math.round((now - entry.movedAt) / 1000)} s: ` +
          `${offsets.inFlight} records in flight (oldest offset ${offsets.oldestInFlight ?? '-'}), ` +
          `${lag} to read, ${paused}${uncommitted === null ? '' : `, offset ${uncommitted} not committed yet`}`,
      );
    }
  }

  /** Stops fetching, lets the records in flight finish (bounded), commits them, then leaves the group. */
  async close(): Promise<void> {
    this.closing = true;
    this.restarts.stop();
    this.inGroup = false;
    const consumer = this.consumer;
    if (consumer) {
      const topics = [...this.getHandlers().keys()].flatMap((pattern) => this.options.topics[pattern] ?? []);
      consumer.pause(topics.map((topic) => ({ topic })));
      await waitFor(() => this.inFlight() === 0, { everyMs: 50, timeoutMs: DRAIN_TIMEOUT_MS });
      await this.commit();
    }
    clearInterval(this.commitTimer);
    clearTimeout(this.caughtUpCommit);
    clearInterval(this.watermarkTimer);
    await consumer?.disconnect();
    await this.offsetsReader.drop();
    this.consumer = undefined;
  }

  /**
   * `save` runs before every commit (and on every commit tick), once the records about to be committed have
   * finished: the processor saves their run counters there, so a run that sees its records committed reads its
   * counters whole. It is waited for a bounded time; the offsets are committed whatever it answers.
   */
  saveBeforeCommit(save: () => Promise<boolean>): void {
    this.saveFirst = save;
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  joined(): boolean {
    return this.inGroup && !this.closing;
  }

  ownedPartitions(): OwnedPartition[] {
    const now = Date.now();
    return [...this.partitions.values()].map(({ topic, partition, lag, offsets, fetchedAt }) => ({
      topic,
      partition,
      lag,
      inFlight: offsets.inFlight,
      paused: this.pauses.has(`${topic}:${partition}`),
      fetchedAgoMs: now - fetchedAt,
    }));
  }

  /** Records handed to handlers and not yet stored or dead-lettered. */
  inFlight(): number {
    let count = 0;
    for (const { offsets } of this.partitions.values()) {
      count += offsets.inFlight;
    }
    return count;
  }

  private assigned(topic: string, partition: number): AssignedPartition {
    const key = `${topic}:${partition}`;
    let entry = this.partitions.get(key);
    if (!entry) {
      entry = {
        topic,
        partition,
        offsets: new PartitionOffsets(),
        lag: 0,
        movedAt: Date.now(),
        stallReported: false,
        fetchedAt: Date.now(),
        next: null,
      };
      this.partitions.set(key, entry);
    }
    return entry;
  }

  private keepOnly(assignment: Record<string, number[]>): void {
    for (const [key, { topic, partition }] of this.partitions) {
      if (!assignment[topic]?.includes(partition)) {
        this.partitions.delete(key);
      }
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const pattern = [...this.getHandlers().keys()].find((name) => this.options.topics[name] === batch.topic);
    const handler = pattern === undefined ? undefined : this.getHandlerByPattern(pattern);
    if (!handler) {
      return;
    }
    const entry = this.assigned(batch.topic, batch.partition);
    entry.lag = batch.isEmpty() ? 0 : Math.max(0, Number(batch.offsetLag()));
    if (batch.messages.length === 0) {
      return;
    }
    entry.movedAt = entry.fetchedAt = Date.now();
    entry.stallReported = false;
    entry.next = BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n;
    const { offsets } = entry;
    const messages: KafkaMessage[] = [];
    const records: TrackedRecord[] = [];
    for (const message of batch.messages) {
      const record = offsets.track(BigInt(message.offset));
      if (!record) {
        continue;
      }
      messages.push(message);
      records.push(record);
    }
    if (messages.length > 0) {
      const data: KafkaBatch = {
        topic: batch.topic,
        partition: batch.partition,
        messages,
        pause: () => this.pause(batch.topic, batch.partition),
        isRunning: () => !this.closing,
        isOwned: () => this.partitions.get(`${batch.topic}:${batch.partition}`) === entry,
      };
      const result: unknown = await handler(data);
      const receipt = (await lastValueFrom(this.transformToObservable(result), {
        defaultValue: [],
      })) as BatchReceipt;
      // records settle together when they share a promise (a batch's stored rows do): one reaction per run of them
      for (let from = 0; from < receipt.length; ) {
        let to = from + 1;
        while (to < receipt.length && receipt[to] === receipt[from]) {
          to++;
        }
        const settled = records.slice(from, to);
        receipt[from]!.then(
          () => {
            settled.forEach((record) => offsets.finish(record));
            if (offsets.inFlight === 0 && entry.lag === 0) {
              this.commitSoon();
            }
          },
          // only when stopping: the records stay uncommitted and are read again by the partition's next owner
          () => undefined,
        );
        from = to;
      }
    }
    // the fetch position moves on; what is committed follows the records as they finish
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
  }

  private pause(topic: string, partition: number): () => void {
    const key = `${topic}:${partition}`;
    const consumer = this.consumer;
    const count = this.pauses.get(key) ?? 0;
    this.pauses.set(key, count + 1);
    if (count === 0) {
      consumer?.pause([{ topic, partitions: [partition] }]);
    }
    let resumed = false;
    return () => {
      // a pause of a consumer since replaced is void: the new one started unpaused
      if (resumed || consumer !== this.consumer) {
        return;
      }
      resumed = true;
      const left = (this.pauses.get(key) ?? 1) - 1;
      if (left > 0) {
        this.pauses.set(key, left);
        return;
      }
      this.pauses.delete(key);
      if (!this.closing) {
        this.consumer?.resume([{ topic, partitions: [partition] }]);
      }
    };
  }

  /** A commit shortly, after the one running if any (what finished meanwhile is not in it). */
  private commitSoon(): void {
    this.caughtUpCommit ??= setTimeout(() => {
      this.caughtUpCommit = undefined;
      void (this.committing ?? Promise.resolve()).then(() => this.commit());
    }, CAUGHT_UP_COMMIT_MS);
  }

  /** Commits every partition that moved; one commit at a time. */
  private commit(): Promise<void> {
    this.committing ??= this.commitMoved().finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async commitMoved(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) {
      return;
    }
    const moved: { entry: AssignedPartition; offset: bigint }[] = [];
    for (const entry of this.partitions.values()) {
      const offset = entry.offsets.toCommit();
      if (offset !== null) {
        moved.push({ entry, offset });
      }
    }
    // after the offsets are taken: what a record adds is added before it finishes, so the save holds all of theirs
    await withTimeout(
      this.saveFirst(),
      this.options.saveBeforeCommitMs ?? SAVE_BEFORE_COMMIT_MS,
      'saving before the commit',
    ).catch((error: Error) => this.logger.warn(`committing without waiting longer: ${error.message}`));
    if (moved.length === 0) {
      return;
    }
    try {
      const offsets = moved.map(({ entry, offset }) => ({
        topic: entry.topic,
        partition: entry.partition,
        offset: offset.toString(),
      }));
      await withTimeout(
        consumer.commitOffsets(offsets),
        this.options.commitTimeoutMs ?? COMMIT_TIMEOUT_MS,
        'committing offsets',
      );
      this.commitFailingSince = undefined;
      for (const { entry, offset } of moved) {
        entry.offsets.markCommitted(offset);
        entry.movedAt = Date.now();
        entry.stallReported = false;
      }
    } catch (error) {
      // a rebalance or a broker restart: the next tick commits again with whatever the group then holds
      const reason = (error as Error).message;
      this.logger.warn(`committing offsets failed (${reason}); will retry`);
      this.replaceIfCommitsFail(consumer, reason);
    }
  }

  /**
   * kafkajs sends a generation's commits to the coordinator it found when it joined, and retries them there for
   * minutes: when the coordinator moves and no rebalance follows, nothing is committed again, and runs wait on
   * records long stored. A new consumer joins again, from a fresh coordinator and the committed offsets.
   */
  private replaceIfCommitsFail(consumer: Consumer, reason: string): void {
    const now = Date.now();
    this.commitFailingSince ??= now;
    const failingMs = now - this.commitFailingSince;
    if (failingMs < (this.options.commitFailingMs ?? COMMIT_FAILING_MS)) {
      return;
    }
    if (
      this.restarts.replace(
        consumer,
        `commits have failed for ${Math.round(failingMs / 1000)} s (${reason})`,
        0,
      )
    ) {
      this.inGroup = false;
    }
  }
}
