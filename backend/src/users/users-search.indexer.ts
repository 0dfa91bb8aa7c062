import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { StoredUser } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { KAFKA, RestartingConsumer } from '#src/kafka/index.js';
import { type SearchEntry, UsersRepository } from './users.repository.js';
import { versionMicros } from './user-version.js';

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
  private readonly logger = new Logger(UsersSearchIndexer.name);
  private readonly consumer: RestartingConsumer;
  private stopped = false;
  private backfill: Promise<void> | undefined;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    this.groupId = `${config.kafka.processorGroupId}${SEARCH_INDEXER_GROUP_SUFFIX}`;
    this.consumer = new RestartingConsumer(kafka, {
      name: UsersSearchIndexer.name,
      consumer: {
        groupId: this.groupId,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
      },
      topic: config.kafka.topics.processedUsers,
      fromBeginning: false,
      run: { autoCommit: false, eachBatch: (payload) => this.indexBatch(payload) },
    });
  }

  /** Resolves once the consumer has joined its group. */
  get joined(): Promise<void> {
    return this.consumer.joined;
  }

  /** Not awaited: joining a group and the first backfill must not hold up the HTTP server. */
  onApplicationBootstrap(): void {
    this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    return this.consumer.stop();
  }

  /** Resolves once the rows stored before users_search existed are indexed (at once on later starts). */
  backfilled(): Promise<void> {
    this.backfill ??= this.runBackfill();
    return this.backfill;
  }

  private async runBackfill(): Promise<void> {
    if (await this.users.backfilled()) {
      return;
    }
    let indexed = 0;
    for await (const entries of this.users.allSearchEntries()) {
      if (this.stopped) {
        throw new Error('stopped during the users_search backfill');
      }
      await this.users.index(entries);
      indexed += entries.length;
    }
    await this.users.markBackfilled();
    this.logger.log(`users_search backfill: ${indexed} stored users indexed and counted`);
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
      if (parsed?.success) {
        entries.push(toSearchEntry(parsed.data));
      } else {
        skipped++;
      }
    }
    await this.users.index(entries);
    if (skipped > 0) {
      this.logger.warn(`${skipped} records of ${batch.topic}/${batch.partition} are not users: not indexed`);
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      payload.resolveOffset(last.offset);
      // with autoCommit off, commitOffsetsIfNecessary() commits only the offsets it is given
      const offset = (BigInt(last.offset) + 1n).toString();
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }],
      });
    }
    await payload.heartbeat();
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
    // the version the processor wrote the row with
    version: versionMicros(new Date(user.ingestedAt ?? user.processedAt), user.kafkaOffset),
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
