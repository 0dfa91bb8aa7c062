import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import kafkajs, {
  type Admin,
  AssignerProtocol,
  type ConfigSource,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
} from 'kafkajs';
import type { ConfigSourceName, GroupState } from '@userstream/contracts';
import { AppConfig } from '../config/app-config.js';
import { KAFKA } from '../kafka/kafka.client.js';
import { KafkaProducerService } from '../kafka/kafka-producer.service.js';
import { noRestart } from '../kafka/restarting-consumer.js';
import { describeLogDirs } from './log-dirs.client.js';
import { chunk, mapLimit } from './map-limit.js';
import { TopicException, TopicExceptionCode, toTopicException } from './topic.exception.js';

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

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
}

/** A group's committed position; `offset` is -1 where it never committed. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface Watermarks {
  partition: number;
  low: number;
  high: number;
}

/** Offsets `[start, end)` of one partition. */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

export interface RawHeader {
  key: string;
  value: Buffer | null;
}

export interface RawMessage {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RawHeader[];
}

export interface ReadResult {
  messages: RawMessage[];
  stoppedBy: 'end' | 'maxBytes' | 'timeout';
}

/** What a scan's visitor makes of a message: taken and go on, taken and stop, or not taken and stop. */
export type Visit = 'next' | 'last' | 'stop';

export interface ScanResult {
  /** Per partition, the first offset not visited. */
  reached: Map<number, number>;
  /** Every range read, the visitor said stop, or the time ran out. */
  stoppedBy: 'end' | 'visitor' | 'timeout';
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

const GROUP_STATES = new Set<string>([
  'Unknown',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
  'Empty',
]);

/** Broker answers to an offset commit without a member id while the group has members. */
const MEMBER_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

/** Topics described per admin client: kafkajs refreshes metadata once per new topic, so keep the lists short. */
const TOPICS_PER_ADMIN = 25;
/** Groups of the short-lived browsing consumers: never committed, deleted after use, hidden from listings. */
export const BROWSER_GROUP_PREFIX = 'userstream-browser-';

const headerValues = (value: IHeaders[string]): (Buffer | null)[] => {
  if (value === undefined) return [null];
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (typeof item === 'string' ? Buffer.from(item) : item));
};

/** Keys, values and headers of a message, in bytes. */
export const messageBytes = (message: RawMessage): number =>
  (message.key?.length ?? 0) +
  (message.value?.length ?? 0) +
  message.headers.reduce(
    (sum, header) => sum + Buffer.byteLength(header.key) + (header.value?.length ?? 0),
    0,
  );

function toRawMessage(partition: number, entry: KafkaMessage): RawMessage {
  return {
    partition,
    offset: Number(entry.offset),
    timestamp: Number(entry.timestamp),
    key: entry.key,
    value: entry.value,
    headers: Object.entries(entry.headers ?? {}).flatMap(([key, value]) =>
      headerValues(value).map((item) => ({ key, value: item })),
    ),
  };
}

/**
 * The only place that talks to Kafka for topic administration and browsing. Every call runs on a fresh
 * admin client: kafkajs keeps each topic it ever looked at in its metadata requests, so one deleted by
 * someone else would fail every later call of a long-lived client. kafkajs errors leave as TopicExceptions.
 */
@Injectable()
export class TopicsRepository {
  private readonly logger = new Logger(TopicsRepository.name);

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly producer: KafkaProducerService,
    private readonly config: AppConfig,
  ) {}

  listTopicNames(): Promise<string[]> {
    return this.withAdmin(undefined, (admin) => admin.listTopics());
  }

  /**
   * How many brokers the cluster has, and how many partition replicas it holds (null when a topic's
   * metadata is in flux: kafkajs then fails the whole listing).
   */
  clusterLoad(): Promise<{ brokers: number; replicas: number | null }> {
    return this.withAdmin(undefined, async (admin) => {
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

  /** null when no such topic: listed first, since kafkajs retries metadata calls on an unknown topic. */
  async findTopic(name: string): Promise<TopicState | null> {
    if (!(await this.listTopicNames()).includes(name)) return null;
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
      if ((error as { code?: unknown }).code !== TopicExceptionCode.TOPIC_NOT_FOUND) throw error;
      const existing = new Set(await this.listTopicNames());
      return this.describeExisting(names.filter((name) => existing.has(name)));
    }
  }

  private async describeExisting(names: string[]): Promise<TopicState[]> {
    const chunks = await Promise.all(
      chunk(names, TOPICS_PER_ADMIN).map((part) =>
        this.withAdmin(part.length === 1 ? part[0] : undefined, async (admin) => {
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
        if (leader === null) return null;
        const forLeader = byLeader.get(leader) ?? new Map<string, number[]>();
        forLeader.set(topic.name, [...(forLeader.get(topic.name) ?? []), partition]);
        byLeader.set(leader, forLeader);
      }
    }
    if (byLeader.size === 0) return new Map();
    try {
      const brokers = new Map((await this.brokers()).map((broker) => [broker.nodeId, broker]));
      const sizes = new Map<string, number>();
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          const broker = brokers.get(leader);
          if (!broker) throw new Error(`broker ${leader} is not in the cluster metadata`);
          const answer = await describeLogDirs(
            broker,
            [...partitions].map(([topic, ids]) => ({ topic, partitions: ids })),
            { clientId: this.config.kafka.clientId, timeoutMs: 3_000 },
          );
          for (const entry of answer) sizes.set(`${entry.topic}:${entry.partition}`, entry.sizeBytes);
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
    return this.withAdmin(topic, async (admin) => {
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
    return this.withAdmin(spec.name, (admin) =>
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
    return this.withAdmin(topic, (admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }));
  }

  createPartitions(topic: string, count: number): Promise<void> {
    return this.withAdmin(topic, async (admin) => {
      await admin.createPartitions({ topicPartitions: [{ topic, count }], timeout: 10_000 });
    });
  }

  /**
   * Replaces the topic's overrides with `configs`, all of them: kafkajs only has the legacy AlterConfigs,
   * not IncrementalAlterConfigs, so a setting left out goes back to its default.
   */
  replaceConfigs(topic: string, configs: Record<string, string>): Promise<void> {
    return this.withAdmin(topic, async (admin) => {
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
    return this.withAdmin(topic, async (admin) => {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
    });
  }

  /** Every group the brokers know, described (state, protocol, members and their assignments). */
  describeAllGroups(): Promise<GroupDescription[]> {
    return this.withAdmin(undefined, async (admin) => {
      const { groups } = await admin.listGroups();
      const ids = [...new Set(groups.map((group) => group.groupId))];
      if (ids.length === 0) return [];
      return this.describe(admin, ids);
    });
  }

  /** null when the broker does not know the group. */
  describeGroup(groupId: string): Promise<GroupDescription | null> {
    return this.withAdmin(groupId, async (admin) => {
      const [group] = await this.describe(admin, [groupId]);
      return group && group.state !== 'Dead' ? group : null;
    });
  }

  /** Committed offsets of each group, on every topic it committed on. */
  committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>> {
    return this.withAdmin(undefined, async (admin) => {
      const entries = await mapLimit(groupIds, 8, async (groupId) => {
        const topics = await admin.fetchOffsets({ groupId });
        const offsets = topics.flatMap(({ topic, partitions }) =>
          partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })),
        );
        return [groupId, offsets] as const;
      });
      return new Map(entries);
    });
  }

  /**
   * Commits the given offsets for a group on one topic (kafkajs seeks with a consumer of the group that
   * reads nothing). Refused while the group has members, who would overwrite it: a GROUP_NOT_EMPTY too,
   * should a member join after the service checked.
   */
  setGroupOffsets(
    groupId: string,
    topic: string,
    partitions: { partition: number; offset: number }[],
  ): Promise<void> {
    return this.withAdmin(groupId, async (admin) => {
      try {
        await admin.setOffsets({
          groupId,
          topic,
          partitions: partitions.map(({ partition, offset }) => ({ partition, offset: String(offset) })),
        });
      } catch (error) {
        const { type, message } = error as { type?: unknown; message?: unknown };
        // kafkajs checks the group first and says so in words; the broker answers with a type
        const running = typeof message === 'string' && message.includes('no running instances');
        if (running || (typeof type === 'string' && MEMBER_ERRORS.has(type))) {
          throw new TopicException(
            TopicExceptionCode.GROUP_NOT_EMPTY,
            `${groupId}: the consumer group has active members`,
          );
        }
        throw error;
      }
    });
  }

  /** Low and high watermarks of existing topics, per topic. */
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
   * Reads the offset ranges of one topic (see `scanRanges`), keeping messages until `maxBytes` (keys, values
   * and headers) are collected.
   */
  async readRanges(
    topic: string,
    ranges: PartitionRange[],
    { maxBytes, timeoutMs }: { maxBytes: number; timeoutMs: number },
  ): Promise<ReadResult> {
    const messages: RawMessage[] = [];
    let bytes = 0;
    let full = false;
    const scan = await this.scanRanges(topic, ranges, {
      timeoutMs,
      maxBytes,
      visit: (message) => {
        const size = messageBytes(message);
        // like a Kafka fetch, the first message is returned whatever its size, so a large one can be seen
        if (bytes + size > maxBytes && messages.length > 0) {
          full = true;
          return 'stop';
        }
        bytes += size;
        messages.push(message);
        return 'next';
      },
    });
    return { messages, stoppedBy: full ? 'maxBytes' : scan.stoppedBy === 'end' ? 'end' : 'timeout' };
  }

  /**
   * Visits the messages of offset ranges of one topic, in offset order within each partition, with a
   * short-lived consumer: a random group that never commits, a seek per partition, and a stop when every
   * range is read, `visit` says so or `timeoutMs` passed. `visit` answers `next` (taken, go on), `last`
   * (taken, then stop) or `stop` (not taken). `reached` says, per partition, the first
   * offset not visited (`end` once its range is read). The group is deleted afterwards (the broker would
   * otherwise expire it by itself).
   */
  async scanRanges(
    topic: string,
    ranges: PartitionRange[],
    {
      timeoutMs,
      maxBytes = 1_048_576,
      visit,
    }: { timeoutMs: number; maxBytes?: number; visit: (message: RawMessage) => Visit },
  ): Promise<ScanResult> {
    const groupId = `${BROWSER_GROUP_PREFIX}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
      maxBytesPerPartition: Math.min(maxBytes, 1_048_576),
      maxBytes: Math.min(maxBytes * 2, 16_777_216),
      retry: { retries: 2, restartOnFailure: noRestart },
    });
    const pending = new Map(ranges.map((range) => [range.partition, range]));
    const reached = new Map(ranges.map((range) => [range.partition, range.start]));
    let stoppedBy: ScanResult['stoppedBy'] = 'timeout';
    let crash: Error | undefined;
    // once finished, nothing more is taken: batches still arrive while the consumer disconnects
    let open = true;
    let resolveFinished = () => {};
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const finish = () => {
      open = false;
      resolveFinished();
    };
    const timer = setTimeout(finish, timeoutMs);

    const done = (partition: number) => {
      const range = pending.get(partition);
      if (!open || !range) return;
      pending.delete(partition);
      reached.set(partition, range.end);
      consumer.pause([{ topic, partitions: [partition] }]);
      if (pending.size === 0) {
        stoppedBy = 'end';
        finish();
      }
    };
    const take = (message: RawMessage): boolean => {
      const range = pending.get(message.partition);
      if (!open) return false;
      if (!range || message.offset < range.start) return true;
      if (message.offset >= range.end) {
        done(message.partition);
        return false;
      }
      const answer = visit(message);
      if (answer !== 'stop') reached.set(message.partition, message.offset + 1);
      if (answer === 'next' && message.offset >= range.end - 1) done(message.partition);
      if (answer === 'next') return true;
      if (message.offset >= range.end - 1) done(message.partition);
      if (open) {
        stoppedBy = 'visitor';
        finish();
      }
      return false;
    };

    // transaction markers and compacted-away offsets never reach eachBatch: batch ends tell how far it got
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const range = pending.get(payload.partition);
      if (range && Number(payload.lastOffset) >= range.end - 1) done(payload.partition);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      crash = payload.error;
      finish();
    });

    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        autoCommit: false,
        eachBatch: ({ batch }) => {
          for (const entry of batch.messages) {
            if (!take(toRawMessage(batch.partition, entry))) break;
          }
          return Promise.resolve();
        },
      });
      // partitions without a range are read from their end (no committed offset): nothing, or ignored
      for (const range of ranges)
        consumer.seek({ topic, partition: range.partition, offset: String(range.start) });
      await finished;
      if (crash !== undefined) throw crash;
      return { reached, stoppedBy };
    } catch (error) {
      throw toTopicException(error, topic);
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
      await this.withAdmin(groupId, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    }
  }

  /**
   * Follows a topic from its current end: a consumer of a group of its own (hidden like the browsers',
   * never committing) seeks every partition to its high watermark, so nothing written after this call
   * returns is missed. `close` disconnects it and deletes the group.
   */
  async tail(
    topic: string,
    onMessages: (messages: RawMessage[]) => void,
  ): Promise<{ positions: { partition: number; offset: number }[]; close: () => Promise<void> }> {
    const state = await this.findTopic(topic);
    if (!state) throw new TopicException(TopicExceptionCode.TOPIC_NOT_FOUND, `${topic}: topic not found`);
    const groupId = `${BROWSER_GROUP_PREFIX}tail-${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 1_048_576,
      maxBytes: 4_194_304,
    });
    const close = async () => {
      await consumer.disconnect().catch(() => undefined);
      await this.withAdmin(groupId, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    };
    const positions = state.partitions.map(({ partition, high }) => ({ partition, offset: high }));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        autoCommit: false,
        eachBatch: ({ batch }) => {
          onMessages(batch.messages.map((entry) => toRawMessage(batch.partition, entry)));
          return Promise.resolve();
        },
      });
      for (const { partition, offset } of positions)
        consumer.seek({ topic, partition, offset: String(offset) });
      return { positions, close };
    } catch (error) {
      await close();
      throw toTopicException(error, topic);
    }
  }

  async produce(
    topic: string,
    message: { key: string | null; value: string; headers: Record<string, string>; partition?: number },
  ): Promise<{ partition: number; offset: number }> {
    try {
      const [result] = await this.producer.sendToAnyTopic(topic, {
        key: message.key,
        value: message.value,
        headers: message.headers,
        ...(message.partition === undefined ? {} : { partition: message.partition }),
      });
      return {
        partition: result?.partition ?? 0,
        offset: Number(result?.baseOffset ?? result?.offset ?? -1),
      };
    } catch (error) {
      throw toTopicException(error, topic);
    }
  }

  private async brokers(): Promise<{ nodeId: number; host: string; port: number }[]> {
    return this.withAdmin(undefined, async (admin) => (await admin.describeCluster()).brokers);
  }

  private async describe(admin: Admin, groupIds: string[]): Promise<GroupDescription[]> {
    const { groups } = await admin.describeGroups(groupIds);
    return groups.map((group) => ({
      groupId: group.groupId,
      state: GROUP_STATES.has(group.state) ? group.state : 'Unknown',
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: group.members.map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        host: member.clientHost,
        assignments: group.protocolType === 'consumer' ? assignments(member.memberAssignment) : [],
      })),
    }));
  }

  private async withAdmin<T>(subject: string | undefined, work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin({ retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 } });
    try {
      await admin.connect();
      return await work(admin);
    } catch (error) {
      throw toTopicException(error, subject);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** A consumer-protocol member's assignment; empty while the group rebalances or for foreign encodings. */
function assignments(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (buffer.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort((a, b) => a - b),
    }));
  } catch {
    return [];
  }
}
