import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { StoredUser } from '@userstream/contracts';
import { AppConfig } from '../config/app-config.js';
import { KAFKA } from '../kafka/kafka.client.js';
import { type SearchEntry, UsersRepository } from './users.repository.js';

const RESTART_DELAY_MS = 5_000;

/** The indexer's consumer group is the processor's group name with this suffix (so each deployment has its own). */
export const SEARCH_INDEXER_GROUP_SUFFIX = '.users-search';

/**
 * Keeps users_search and the user counts behind the ingest path. The processor publishes each user to the
 * processed topic once its row is stored; this reads that topic in a committed consumer group and indexes
 * each batch (`UsersRepository.index`) before committing it, so nothing stored is left unindexed, and its
 * lag (`GET /api/consumer-groups/<group>`) is how far search and stats trail the stored rows. At its first
 * start on a keyspace it indexes the rows stored before users_search existed, then consumes from where the
 * group joined (the latest offset the first time), so the two overlap rather than leave a gap.
 */
@Injectable()
export class UsersSearchIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly groupId: string;
  /** Resolves once the consumer has joined its group. */
  readonly joined: Promise<void>;
  private markJoined: () => void = () => undefined;
  private readonly logger = new Logger(UsersSearchIndexer.name);
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private restart: NodeJS.Timeout | undefined;
  private stopped = false;
  private backfill: Promise<void> | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    this.groupId = `${config.kafka.processorGroupId}${SEARCH_INDEXER_GROUP_SUFFIX}`;
    this.joined = new Promise((resolve) => (this.markJoined = resolve));
  }

  /** Not awaited: joining a group and the first backfill must not hold up the HTTP server. */
  onApplicationBootstrap(): void {
    this.starting = this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.starting;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** Resolves once the rows stored before users_search existed are indexed (at once on later starts). */
  backfilled(): Promise<void> {
    this.backfill ??= this.runBackfill();
    return this.backfill;
  }

  private async runBackfill(): Promise<void> {
    if (await this.users.backfilled()) return;
    let indexed = 0;
    for await (const entries of this.users.allSearchEntries()) {
      if (this.stopped) throw new Error('stopped during the users_search backfill');
      await this.users.index(entries);
      indexed += entries.length;
    }
    await this.users.markBackfilled();
    this.logger.log(`users_search backfill: ${indexed} stored users indexed and counted`);
  }

  private async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
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
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.indexBatch(payload) });
      this.logger.log(`search indexer reading ${this.config.kafka.topics.processedUsers} as ${this.groupId}`);
    } catch (error) {
      this.scheduleRestart(error);
    }
  }

  /**
   * Indexes a batch, then commits it; a failure throws, and kafkajs fetches the batch again from the last
   * commit. A record that is not StoredUser JSON is skipped and logged, not dead-lettered: the processor owns
   * this topic.
   */
  private async indexBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    await this.backfilled();
    const entries: SearchEntry[] = [];
    let skipped = 0;
    for (const message of batch.messages) {
      const parsed = message.value ? StoredUser.safeParse(parseJson(message.value)) : undefined;
      if (parsed?.success) entries.push(toSearchEntry(parsed.data));
      else skipped++;
    }
    await this.users.index(entries);
    if (skipped > 0) {
      this.logger.warn(`${skipped} records of ${batch.topic}/${batch.partition} are not users: not indexed`);
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
  }

  private scheduleRestart(error: unknown): void {
    if (this.stopped) return;
    this.logger.warn(
      `search indexer stopped (${(error as Error).message}); retrying in ${RESTART_DELAY_MS} ms`,
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

function parseJson(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
}

function toSearchEntry(user: StoredUser): SearchEntry {
  return {
    id: user.id,
    runId: user.runId,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    username: user.username,
    country: user.country,
    nat: user.nat,
    gender: user.gender,
    age: user.age,
    registered: user.registered === null ? null : new Date(user.registered),
  };
}
