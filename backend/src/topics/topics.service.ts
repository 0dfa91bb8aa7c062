import { Injectable } from '@nestjs/common';
import type {
  CreateTopicRequest,
  TopicConfigEntry,
  TopicConfigList,
  TopicConfigPatch,
  TopicDetail,
  TopicList,
  TopicListQuery,
  TopicSummary,
} from '@userstream/contracts';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import {
  applyConfigPatch,
  checkCapacity,
  checkConfigsFit,
  collisionKey,
  isEditableConfig,
  isInternalTopic,
  searchAndPage,
} from './topic-rules.js';
import {
  TopicException,
  TopicExceptionCode,
  type ConfigEntry,
  KafkaAdminRepository,
  type TopicState,
} from '#src/kafka/index.js';
import { AppConfig } from '#src/config/index.js';
import { waitFor } from '#src/common/index.js';

const SETTLE_TRIES = 100;
/** What a loaded broker answers about a topic or partitions it has just created, for a while. */
const SETTLING_CODES = new Set([TopicExceptionCode.TOPIC_NOT_FOUND, TopicExceptionCode.KAFKA_UNAVAILABLE]);
const SETTLE_INTERVAL_MS = 100;
const isSettling = (error: unknown): boolean =>
  error instanceof TopicException && SETTLING_CODES.has(error.code);

/** Figures shared by a topic and its partitions; sizes are null when the brokers did not report them. */
function figures(name: string, partitions: TopicState['partitions'], sizes: Map<string, number> | null) {
  const partSizes = partitions.map(({ partition }) => sizes?.get(`${name}:${partition}`));
  return {
    approxMessages: partitions.reduce((sum, { low, high }) => sum + Math.max(0, high - low), 0),
    sizeBytes: partSizes.some((size) => size === undefined)
      ? null
      : partSizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
  };
}

function summary(state: TopicState, sizes: Map<string, number> | null, pipeline: boolean): TopicSummary {
  return {
    name: state.name,
    internal: isInternalTopic(state.name),
    pipeline,
    partitions: state.partitions.length,
    replicationFactor: replicationFactor(state),
    underReplicatedPartitions: state.partitions.filter(({ isr, replicas }) => isr.length < replicas.length)
      .length,
    ...figures(state.name, state.partitions, sizes),
  };
}

const replicationFactor = (state: TopicState) =>
  Math.max(0, ...state.partitions.map(({ replicas }) => replicas.length));

const configEntry = (entry: ConfigEntry): TopicConfigEntry => ({
  ...entry,
  editable: isEditableConfig(entry.name),
});

/** Topics: listing, inspection, creation, growth, settings and deletion, with this API's safety rules. */
@Injectable()
export class TopicsService {
  constructor(
    private readonly topics: KafkaAdminRepository,
    private readonly groups: ConsumerGroupsService,
    private readonly config: AppConfig,
  ) {}

  /** The pipeline's topics as this cluster names them (KAFKA_TOPIC_PREFIX included). */
  isPipelineTopic(name: string): boolean {
    return this.config.pipelineTopics.includes(name);
  }

  async list(query: TopicListQuery): Promise<TopicList> {
    const names = await this.topics.listTopicNames();
    const visible = query.includeInternal ? names : names.filter((name) => !isInternalTopic(name));
    const page = searchAndPage(visible, (name) => name, query);
    const states = await this.topics.describeTopics(page.items);
    const sizes = await this.topics.leaderSizes(states);
    return {
      items: states
        .map((state) => summary(state, sizes, this.isPipelineTopic(state.name)))
        .sort((a, b) => a.name.localeCompare(b.name)),
      total: page.total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async describe(name: string): Promise<TopicDetail> {
    const state = await this.require(name);
    const [configs, sizes, consumerGroups] = await Promise.all([
      this.topics.describeConfigs(name),
      this.topics.leaderSizes([state]),
      this.groups.forTopic(state),
    ]);
    return {
      name,
      internal: isInternalTopic(name),
      pipeline: this.isPipelineTopic(name),
      replicationFactor: replicationFactor(state),
      ...figures(name, state.partitions, sizes),
      partitions: state.partitions.map((partition) => ({
        ...partition,
        ...figures(name, [partition], sizes),
      })),
      configs: configs.map(configEntry),
      consumerGroups,
    };
  }

  async create(request: CreateTopicRequest): Promise<TopicDetail> {
    const existing = await this.topics.listTopicNames();
    if (existing.includes(request.name)) {
      throw this.exists(request.name);
    }
    const collision = existing.find((name) => collisionKey(name) === collisionKey(request.name));
    if (collision) {
      throw new TopicException(
        TopicExceptionCode.TOPIC_NAME_COLLISION,
        `${request.name} collides with the existing topic ${collision} ('.' and '_' are the same to Kafka's metrics)`,
      );
    }
    const load = await this.topics.clusterLoad();
    const { brokers } = load;
    if (request.replicationFactor > brokers) {
      throw new TopicException(
        TopicExceptionCode.INVALID_REPLICATION_FACTOR,
        `replication factor ${request.replicationFactor} is more than the ${brokers} broker(s) of the cluster`,
        [{ field: 'replicationFactor', message: `at most ${brokers}` }],
      );
    }
    const configs = request.configs ?? {};
    checkConfigsFit(configs, request.replicationFactor);
    checkCapacity(load, request.partitions * request.replicationFactor);
    const created = await this.topics.createTopic({
      name: request.name,
      partitions: request.partitions,
      replicationFactor: request.replicationFactor,
      configs: Object.fromEntries(Object.entries(configs).filter(([, value]) => value !== undefined)),
    });
    if (!created) {
      throw this.exists(request.name);
    }
    // a fresh topic's partitions may not be served yet, by metadata or offset requests, on a loaded broker
    let detail: TopicDetail | undefined;
    await this.settle(async () => {
      detail = await this.describe(request.name);
      return true;
    });
    return detail ?? this.describe(request.name);
  }

  /** Internal topics are never deleted here; pipeline topics only with `force` (an admin's call). */
  async delete(name: string, force: boolean): Promise<void> {
    await this.require(name);
    if (isInternalTopic(name)) {
      throw this.protectedInternal(name);
    }
    if (this.isPipelineTopic(name) && !force) {
      throw new TopicException(
        TopicExceptionCode.TOPIC_PROTECTED,
        `${name} is one of the pipeline's topics; deleting it loses its data and stalls ingestion (force=true, admins only)`,
      );
    }
    await this.topics.deleteTopic(name);
  }

  async addPartitions(name: string, count: number): Promise<TopicDetail> {
    const state = await this.require(name);
    if (isInternalTopic(name)) {
      throw this.protectedInternal(name);
    }
    const current = state.partitions.length;
    if (count <= current) {
      throw new TopicException(
        TopicExceptionCode.INVALID_PARTITIONS,
        `${name} has ${current} partitions: partitions can only be added, ask for more than ${current}`,
        [{ field: 'count', message: `greater than ${current}` }],
      );
    }
    checkCapacity(await this.topics.clusterLoad(), (count - current) * replicationFactor(state));
    await this.topics.createPartitions(name, count);
    await this.settle(async () => ((await this.topics.findTopic(name))?.partitions.length ?? 0) >= count);
    return this.describe(name);
  }

  async alterConfigs(name: string, patch: TopicConfigPatch): Promise<TopicConfigList> {
    const state = await this.require(name);
    if (isInternalTopic(name)) {
      throw this.protectedInternal(name);
    }
    checkConfigsFit(patch, replicationFactor(state));
    const next = applyConfigPatch(await this.topics.describeConfigs(name), patch);
    await this.topics.replaceConfigs(name, next);
    // brokers apply a change from the metadata log: wait until the one answering shows it
    let configs: ConfigEntry[] = [];
    await this.settle(async () => {
      configs = await this.topics.describeConfigs(name);
      return Object.entries(patch).every(([key, value]) => {
        const entry = configs.find((config) => config.name === key);
        return value === null ? entry?.source !== 'topic' : entry?.value === value;
      });
    });
    return { name, configs: configs.map(configEntry) };
  }

  /** The topic, or a 404. */
  async require(name: string): Promise<TopicState> {
    const state = await this.topics.findTopic(name);
    if (!state) {
      throw new TopicException(TopicExceptionCode.TOPIC_NOT_FOUND, `no topic named ${name}`);
    }
    return state;
  }

  private exists(name: string): TopicException {
    return new TopicException(TopicExceptionCode.TOPIC_EXISTS, `topic ${name} already exists`);
  }

  private protectedInternal(name: string): TopicException {
    return new TopicException(
      TopicExceptionCode.TOPIC_PROTECTED,
      `${name} is one of Kafka's internal topics; this API never changes or deletes them`,
    );
  }

  /**
   * Polls until `check` holds (changes reach the answering broker shortly after Kafka acknowledges them);
   * a topic not found or a partition with no leader yet meanwhile counts as not yet.
   */
  private async settle(check: () => Promise<boolean>): Promise<void> {
    await waitFor(check, {
      everyMs: SETTLE_INTERVAL_MS,
      timeoutMs: SETTLE_TRIES * SETTLE_INTERVAL_MS,
      notYet: isSettling,
    }).catch((error: unknown) => {
      // still settling when time ran out: as before, the caller reads what there is
      if (!isSettling(error)) {
        throw error;
      }
    });
  }
}
