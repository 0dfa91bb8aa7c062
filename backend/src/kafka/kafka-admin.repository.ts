import { Inject, Injectable, Logger } from '@nestjs/common';
import kafkajs, { type Admin, type AdminConfig, type ConfigSource, type Kafka } from 'kafkajs';
import type { ConfigSourceName } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { TopicExceptionCode, toTopicException } from './topic.exception.js';
import { KAFKA } from './kafka.client.js';
import { describeLogDirs } from './log-dirs.client.js';
import { chunk, mapLimit } from './map-limit.js';
import { topicReplication } from './topic-replication.js';
import { waitFor } from '#src/common/index.js';

// Node's ESM loader does not see these two among kafkajs's CommonJS exports: take them from the default export
const { ConfigResourceTypes, ConfigSource: ConfigSources } = kafkajs;

export interface PartitionState {
  partition: number;
  leader: number | null;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  low: number;
  high: number;
}

export interface TopicState {
  name: string;
  partitions: PartitionState[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: ConfigSourceName;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
}

/** A group's committed position; `offset` is -1 where it never committed. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** A partition's log start (`low`) and the next offset to be written (`high`). */
export interface Watermarks {
  partition: number;
  low: number;
  high: number;
}

const CONFIG_SOURCES: Record<ConfigSource, ConfigSourceName> = {
  [ConfigSources.UNKNOWN]: 'unknown',
  [ConfigSources.TOPIC_CONFIG]: 'topic',
  [ConfigSources.DYNAMIC_BROKER_CONFIG]: 'dynamic-broker',
  [ConfigSources.DYNAMIC_DEFAULT_BROKER_CONFIG]: 'dynamic-default-broker',
  [ConfigSources.STATIC_BROKER_CONFIG]: 'static-broker',
  [ConfigSources.DEFAULT_CONFIG]: 'default',
  [ConfigSources.DYNAMIC_BROKER_LOGGER_CONFIG]: 'unknown',
};

/** Topics described per admin client: kafkajs refreshes metadata once per new topic, so keep the lists short. */
const TOPICS_PER_ADMIN = 25;

/** kafkajs's answer to an offset fetch, in one shape (-1 where the group never committed). */
const toCommitted = (
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[],
): CommittedOffset[] =>
  topics.flatMap(({ topic, partitions }) =>
    partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })),
  );

const toWatermarks = (entries: { partition: number; low: string; high: string }[]): Watermarks[] =>
  entries.map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) }));

/**
 * Runs `work` on a fresh admin client with a short retry; kafkajs errors leave as TopicExceptions about
 * `subject`. Every call of the REST features runs on one of its own: kafkajs keeps each topic it ever looked
 * at in its metadata requests, so one deleted by someone else would fail every later call of a long-lived client.
 */
export async function withAdmin<T>(
  kafka: Kafka,
  subject: string | undefined,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin({ retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 } });
  try {
    await admin.connect();
    return await work(admin);
  } catch (error) {
    throw toTopicException(error, subject);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Runs `work` on a fresh admin client with the client's own retry (or `config`'s) and kafkajs's own errors: the
 * pipeline's calls, which log or retry those themselves.
 */
async function withPlainAdmin<T>(
  kafka: Kafka,
  work: (admin: Admin) => Promise<T>,
  config?: AdminConfig,
): Promise<T> {
  const admin = kafka.admin(config);
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The one place that administers Kafka: topics, their configs, partitions and watermarks, the cluster, and
 * consumer groups' committed offsets. Each call runs on a fresh admin client (see `withAdmin`).
 */
@Injectable()
export class KafkaAdminRepository {
  private readonly logger = new Logger(KafkaAdminRepository.name);

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {}

  /** One round trip to the cluster, no retry: a short description of what answered (for health checks). */
  ping(): Promise<string> {
    return withPlainAdmin(
      this.kafka,
      async (admin) => {
        const cluster = await admin.describeCluster();
        return `${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'none'}`;
      },
      { retry: { retries: 0 } },
    );
  }

  listTopicNames(): Promise<string[]> {
    return withAdmin(this.kafka, undefined, (admin) => admin.listTopics());
  }

  /**
   * How many brokers the cluster has, and how many partition replicas it holds (null when a topic's
   * metadata is in flux: kafkajs then fails the whole listing).
   */
  clusterLoad(): Promise<{ brokers: number; replicas: number | null }> {
    return withAdmin(this.kafka, undefined, async (admin) => {
      const { brokers } = await admin.describeCluster();
      const replicas = await admin
        .fetchTopicMetadata()
        .then(({ topics }) =>
          topics.reduce(
            (sum, topic) =>
              sum + topic.partitions.reduce((count, partition) => count + partition.replicas.length, 0),
            0,
          ),
        )
        .catch(() => null);
      return { brokers: brokers.length, replicas };
    });
  }

  /**
   * Creates the raw, processed and dead-letter topics when missing, replicated as the cluster allows (see
   * `topicReplication`; settings it cannot satisfy stop here with a clear message); returns the names created.
   */
  ensurePipelineTopics(): Promise<string[]> {
    return withPlainAdmin(this.kafka, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = Object.values(this.config.kafka.topics).filter((topic) => !existing.has(topic));
      if (missing.length === 0) {
        return [];
      }
      const { brokers } = await admin.describeCluster();
      const { replicationFactor, minInsyncReplicas } = topicReplication(brokers.length, this.config.kafka);
      const configEntries =
        minInsyncReplicas === undefined
          ? []
          : [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }];
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.config.kafka.partitions,
          replicationFactor,
          configEntries,
        })),
      });
      await this.waitForMetadata(admin, missing);
      return missing;
    });
  }

  /**
   * A just-created topic can still be unknown to the broker's metadata for a moment (seen on a loaded
   * 2-core box): consumers subscribing then fail with UNKNOWN_TOPIC_OR_PARTITION. Wait until it is served.
   */
  private async waitForMetadata(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
    const served = await waitFor(
      async () => {
        const { topics: described } = await admin.fetchTopicMetadata({ topics });
        return described.every((topic) => topic.partitions.length > 0);
      },
      { everyMs: 250, timeoutMs, notYet: () => true },
    );
    if (!served) {
      throw new Error(`topics ${topics.join(', ')} not served after creation`);
    }
  }

  /** null when no such topic: listed first, since kafkajs retries metadata calls on an unknown topic. */
  async findTopic(name: string): Promise<TopicState | null> {
    if (!(await this.listTopicNames()).includes(name)) {
      return null;
    }
    const [state] = await this.describeTopics([name]);
    return state ?? null;
  }

  /**
   * Partitions (leaders, replicas, ISR) and watermarks of existing topics. A topic deleted meanwhile is
   * left out: the names are listed again and the work redone once.
   */
  async describeTopics(names: string[]): Promise<TopicState[]> {
    try {
      return await this.describeExisting(names);
    } catch (error) {
      if ((error as { code?: unknown }).code !== TopicExceptionCode.TOPIC_NOT_FOUND) {
        throw error;
      }
      const existing = new Set(await this.listTopicNames());
      return this.describeExisting(names.filter((name) => existing.has(name)));
    }
  }

  private async describeExisting(names: string[]): Promise<TopicState[]> {
    const chunks = await Promise.all(
      chunk(names, TOPICS_PER_ADMIN).map((part) =>
        withAdmin(this.kafka, part.length === 1 ? part[0] : undefined, async (admin) => {
          const { topics } = await admin.fetchTopicMetadata({ topics: part });
          const states: TopicState[] = [];
          // one at a time: concurrent calls on one kafkajs admin can read metadata that lacks the topic
          for (const topic of topics) {
            const watermarks = new Map(
              (await admin.fetchTopicOffsets(topic.name)).map((entry) => [entry.partition, entry]),
            );
            states.push({
              name: topic.name,
              partitions: topic.partitions
                .map((partition) => ({
                  partition: partition.partitionId,
                  leader: partition.leader >= 0 ? partition.leader : null,
                  replicas: partition.replicas,
                  isr: partition.isr,
                  offlineReplicas: partition.offlineReplicas ?? [],
                  low: Number(watermarks.get(partition.partitionId)?.low ?? 0),
                  high: Number(watermarks.get(partition.partitionId)?.high ?? 0),
                }))
                .sort((a, b) => a.partition - b.partition),
            });
          }
          return states;
        }),
      ),
    );
    return chunks.flat();
  }

  /**
   * Bytes on disk of each partition's leader replica (`topic:partition` keys), from DescribeLogDirs sent to
   * each broker leading one of them. null when any of those brokers does not answer it.
   */
  async leaderSizes(topics: TopicState[]): Promise<Map<string, number> | null> {
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const topic of topics) {
      for (const { partition, leader } of topic.partitions) {
        if (leader === null) {
          return null;
        }
        const forLeader = byLeader.get(leader) ?? new Map<string, number[]>();
        forLeader.set(topic.name, [...(forLeader.get(topic.name) ?? []), partition]);
        byLeader.set(leader, forLeader);
      }
    }
    if (byLeader.size === 0) {
      return new Map();
    }
    try {
      const brokers = new Map((await this.brokers()).map((broker) => [broker.nodeId, broker]));
      const sizes = new Map<string, number>();
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          const broker = brokers.get(leader);
          if (!broker) {
            throw new Error(`broker ${leader} is not in the cluster metadata`);
          }
          const answer = await describeLogDirs(
            broker,
            [...partitions].map(([topic, ids]) => ({ topic, partitions: ids })),
            { clientId: this.config.kafka.clientId, timeoutMs: 3_000 },
          );
          for (const entry of answer) {
            sizes.set(`${entry.topic}:${entry.partition}`, entry.sizeBytes);
          }
        }),
      );
      return sizes;
    } catch (error) {
      this.logger.debug(
        `partition sizes unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  describeConfigs(topic: string): Promise<ConfigEntry[]> {
    return withAdmin(this.kafka, topic, async (admin) => {
      const { resources } = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
        includeSynonyms: false,
      });
      return (resources[0]?.configEntries ?? [])
        .map((entry) => ({
          name: entry.configName,
          value: entry.isSensitive ? null : entry.configValue,
          source: CONFIG_SOURCES[entry.configSource] ?? 'unknown',
          isDefault: entry.isDefault || entry.configSource === ConfigSources.DEFAULT_CONFIG,
          readOnly: entry.readOnly,
          sensitive: entry.isSensitive,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  /** false when the topic already existed. */
  createTopic(spec: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
  }): Promise<boolean> {
    return withAdmin(this.kafka, spec.name, (admin) =>
      admin.createTopics({
        // the service waits until the topic can be described: kafkajs's own wait gives up on a loaded broker
        // and reported a topic it had just created as unknown
        waitForLeaders: false,
        timeout: 10_000,
        topics: [
          {
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
  }

  deleteTopic(topic: string): Promise<void> {
    return withAdmin(this.kafka, topic, (admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }));
  }

  createPartitions(topic: string, count: number): Promise<void> {
    return withAdmin(this.kafka, topic, async (admin) => {
      await admin.createPartitions({ topicPartitions: [{ topic, count }], timeout: 10_000 });
    });
  }

  /**
   * Replaces the topic's overrides with `configs`, all of them: kafkajs only has the legacy AlterConfigs,
   * not IncrementalAlterConfigs, so a setting left out goes back to its default.
   */
  replaceConfigs(topic: string, configs: Record<string, string>): Promise<void> {
    return withAdmin(this.kafka, topic, async (admin) => {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
      });
    });
  }

  /** Per partition, the first offset whose timestamp is at or after `timestamp` (the end when none). */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<Map<number, number>> {
    return withAdmin(this.kafka, topic, async (admin) => {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
    });
  }

  /** Low and high watermarks of existing topics, per topic (a topic deleted meanwhile is left out). */
  async watermarks(topics: string[]): Promise<Map<string, Watermarks[]>> {
    const states = await this.describeTopics(topics);
    return new Map(
      states.map((state) => [
        state.name,
        state.partitions.map(({ partition, low, high }) => ({ partition, low, high })),
      ]),
    );
  }

  /**
   * Watermarks of one pipeline topic, read straight from the partitions' leaders (kafkajs's errors, the
   * client's retry): every partition, or only those in `partitions`.
   */
  topicWatermarks(topic: string, partitions?: readonly number[]): Promise<Watermarks[]> {
    return withPlainAdmin(this.kafka, async (admin) =>
      toWatermarks(await admin.fetchTopicOffsets(topic)).filter(
        ({ partition }) => partitions === undefined || partitions.includes(partition),
      ),
    );
  }

  /**
   * Committed offsets of each group: with `topic`, every partition of that topic (-1 where the group never
   * committed), read with kafkajs's errors and the client's retry (the pipeline's own calls); without, every
   * partition of every topic it committed on, with TopicExceptions (the REST features' calls).
   */
  committedOffsets(groupIds: string[], topic?: string): Promise<Map<string, CommittedOffset[]>> {
    const read = async (admin: Admin) => {
      const entries = await mapLimit(groupIds, 8, async (groupId) => {
        const topics = await admin.fetchOffsets(
          topic === undefined ? { groupId } : { groupId, topics: [topic] },
        );
        return [groupId, toCommitted(topics)] as const;
      });
      return new Map(entries);
    };
    return topic === undefined ? withAdmin(this.kafka, undefined, read) : withPlainAdmin(this.kafka, read);
  }

  private async brokers(): Promise<{ nodeId: number; host: string; port: number }[]> {
    return withAdmin(this.kafka, undefined, async (admin) => (await admin.describeCluster()).brokers);
  }
}

/**
 * One consumer's own admin client for its periodic offset checks, connected at the first read and kept: such a
 * check runs every few seconds. `drop` ends it, so the next read connects a new one from fresh metadata (kafkajs's
 * admin gives up on a leader that moved without refreshing its metadata, and may hang).
 */
export class OffsetsReader {
  private admin: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka) {}

  /** A topic's watermarks, then a group's committed offsets on it (-1 where it never committed). */
  async read(
    topic: string,
    groupId: string,
  ): Promise<{ watermarks: Watermarks[]; committed: CommittedOffset[] }> {
    this.admin ??= this.connect();
    const admin = await this.admin;
    const watermarks = toWatermarks(await admin.fetchTopicOffsets(topic));
    const committed = toCommitted(await admin.fetchOffsets({ groupId, topics: [topic] }));
    return { watermarks, committed };
  }

  async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private async connect(): Promise<Admin> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      this.admin = undefined;
      throw error;
    }
  }
}
