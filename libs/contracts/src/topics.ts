import { z } from 'zod';
import { PageQuery, TopicName } from './ingestion.js';
import { queryFlag } from './query.js';

/** Upper bound of a topic's partition count through this API (creation and growth). */
export const MAX_TOPIC_PARTITIONS = 1_000;
/** Message browsing bounds: count per request, and bytes (keys + values + headers) per request. */
export const BROWSE_MAX_LIMIT = 500;
export const BROWSE_DEFAULT_MAX_BYTES = 1_048_576;
export const BROWSE_MAX_BYTES = 8_388_608;
/** A produced test message's serialized value, at most. */
export const PRODUCE_MAX_VALUE_BYTES = 65_536;

const MAX_LONG = Number.MAX_SAFE_INTEGER;
const MAX_INT = 2_147_483_647;

/** An integer setting, sent as a JSON number or a string of digits; Kafka receives it as a string. */
const integerSetting = (min: number, max: number) =>
  z
    .union([
      z.int(),
      z
        .string()
        .trim()
        .regex(/^-?\d{1,16}$/, 'an integer'),
    ])
    .transform(Number)
    .pipe(z.int().min(min).max(max))
    .transform(String);

export const TopicConfigKey = z.enum([
  'retention.ms',
  'retention.bytes',
  'cleanup.policy',
  'segment.bytes',
  'max.message.bytes',
  'min.insync.replicas',
  'compression.type',
]);
export type TopicConfigKey = z.infer<typeof TopicConfigKey>;

/**
 * The topic settings this API lets clients set, each with the values Kafka accepts for it. Anything else
 * (e.g. `message.timestamp.type`, `unclean.leader.election.enable`) stays in the hands of Kafka operators.
 */
const topicConfigShape = {
  'retention.ms': integerSetting(-1, MAX_LONG),
  'retention.bytes': integerSetting(-1, MAX_LONG),
  'cleanup.policy': z.enum(['delete', 'compact', 'compact,delete']),
  // Kafka 4 refuses segments under 1 MiB
  'segment.bytes': integerSetting(1_048_576, MAX_INT),
  'max.message.bytes': integerSetting(1, MAX_INT),
  'min.insync.replicas': integerSetting(1, MAX_TOPIC_PARTITIONS),
  'compression.type': z.enum(['uncompressed', 'producer', 'gzip', 'snappy', 'lz4', 'zstd']),
} satisfies Record<TopicConfigKey, z.ZodType>;

export const TOPIC_CONFIG_KEYS: readonly TopicConfigKey[] = TopicConfigKey.options;

/** Allow-listed settings at creation; unknown keys are refused by name. */
export const TopicConfigValues = z.object(topicConfigShape).partial().strict();
export type TopicConfigValues = z.infer<typeof TopicConfigValues>;

/** A change of settings: a value sets the override, `null` removes it (back to the broker's default). */
export const TopicConfigPatch = z
  .object(
    Object.fromEntries(
      Object.entries(topicConfigShape).map(([key, schema]) => [key, schema.nullable().optional()]),
    ) as { [K in TopicConfigKey]: z.ZodOptional<z.ZodNullable<(typeof topicConfigShape)[K]>> },
  )
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one setting');
export type TopicConfigPatch = z.infer<typeof TopicConfigPatch>;

export const CreateTopicRequest = z
  .object({
    name: TopicName.refine(
      (name) => !name.startsWith('__'),
      'names starting with "__" are reserved for Kafka',
    ),
    partitions: z.int().min(1).max(MAX_TOPIC_PARTITIONS),
    replicationFactor: z.int().min(1).max(32),
    configs: TopicConfigValues.optional(),
  })
  .strict();
export type CreateTopicRequest = z.infer<typeof CreateTopicRequest>;

export const AddPartitionsRequest = z.object({ count: z.int().min(1).max(MAX_TOPIC_PARTITIONS) }).strict();
export type AddPartitionsRequest = z.infer<typeof AddPartitionsRequest>;

export const AlterTopicConfigsRequest = z.object({ configs: TopicConfigPatch }).strict();
export type AlterTopicConfigsRequest = z.infer<typeof AlterTopicConfigsRequest>;

export const TopicListQuery = PageQuery.extend({
  search: z.string().trim().max(249).optional(),
  includeInternal: queryFlag,
}).strict();
export type TopicListQuery = z.infer<typeof TopicListQuery>;

export const DeleteTopicQuery = z.object({ force: queryFlag }).strict();

const topicFlags = {
  name: z.string(),
  /** Kafka's own topics (`__consumer_offsets`, `__transaction_state`...): names starting with `__`. */
  internal: z.boolean(),
  /** userstream's raw, processed and dead-letter topics. */
  pipeline: z.boolean(),
};

const topicFigures = {
  /**
   * Sum of (high - low watermark): exact for plain topics, an upper bound for compacted or transactional
   * ones (removed records and transaction markers still hold offsets).
   */
  approxMessages: z.number(),
  /**
   * Bytes on disk of one copy (the leader replicas), from DescribeLogDirs (which kafkajs lacks: the backend
   * sends it itself); null when a broker does not answer it, or a partition has no leader.
   */
  sizeBytes: z.number().nullable(),
};

export const TopicSummary = z.object({
  ...topicFlags,
  partitions: z.number(),
  replicationFactor: z.number(),
  /** Partitions whose in-sync replicas are fewer than their replicas. */
  underReplicatedPartitions: z.number(),
  ...topicFigures,
});
export type TopicSummary = z.infer<typeof TopicSummary>;

export const TopicList = z.object({
  items: z.array(TopicSummary),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type TopicList = z.infer<typeof TopicList>;

export const TopicPartitionDetail = z.object({
  partition: z.number(),
  /** null while the partition has no leader. */
  leader: z.number().nullable(),
  replicas: z.array(z.number()),
  isr: z.array(z.number()),
  offlineReplicas: z.array(z.number()),
  low: z.number(),
  high: z.number(),
  ...topicFigures,
});
export type TopicPartitionDetail = z.infer<typeof TopicPartitionDetail>;

export const ConfigSourceName = z.enum([
  'topic',
  'dynamic-broker',
  'dynamic-default-broker',
  'static-broker',
  'default',
  'unknown',
]);
export type ConfigSourceName = z.infer<typeof ConfigSourceName>;

export const TopicConfigEntry = z.object({
  name: z.string(),
  /** null for sensitive settings. */
  value: z.string().nullable(),
  /** Where the value comes from: a topic override (`topic`), the broker, or Kafka's default. */
  source: ConfigSourceName,
  isDefault: z.boolean(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
  /** Whether this API lets clients change it (the allow-list). */
  editable: z.boolean(),
});
export type TopicConfigEntry = z.infer<typeof TopicConfigEntry>;

export const TopicConfigList = z.object({ name: z.string(), configs: z.array(TopicConfigEntry) });
export type TopicConfigList = z.infer<typeof TopicConfigList>;

export const PartitionLag = z.object({
  topic: z.string(),
  partition: z.number(),
  /** The group's next offset to read; null when it never committed on this partition. */
  committed: z.number().nullable(),
  low: z.number(),
  high: z.number(),
  /** high - committed, or high - low when nothing is committed. */
  lag: z.number(),
});
export type PartitionLag = z.infer<typeof PartitionLag>;

export const GroupState = z.enum([
  'Unknown',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
  'Empty',
]);
export type GroupState = z.infer<typeof GroupState>;

export const TopicConsumerGroup = z.object({
  groupId: z.string(),
  state: GroupState,
  /** Members with partitions of this topic assigned. */
  members: z.number(),
  lag: z.number(),
  partitions: z.array(PartitionLag),
});
export type TopicConsumerGroup = z.infer<typeof TopicConsumerGroup>;

export const TopicDetail = z.object({
  ...topicFlags,
  replicationFactor: z.number(),
  ...topicFigures,
  partitions: z.array(TopicPartitionDetail),
  configs: z.array(TopicConfigEntry),
  consumerGroups: z.array(TopicConsumerGroup),
});
export type TopicDetail = z.infer<typeof TopicDetail>;

export const ConsumerGroupListQuery = PageQuery.extend({
  search: z.string().trim().max(255).optional(),
}).strict();
export type ConsumerGroupListQuery = z.infer<typeof ConsumerGroupListQuery>;

/** Group ids are free text to Kafka; this bounds them and keeps control characters out. */
export const GroupId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');

export const ConsumerGroupSummary = z.object({
  groupId: z.string(),
  state: GroupState,
  /** `consumer` for consumer groups, empty for groups that only store offsets. */
  protocolType: z.string(),
  /** The partition assignor in use (`RoundRobinAssigner`, `range`...); empty when no member is joined. */
  protocol: z.string(),
  members: z.number(),
});
export type ConsumerGroupSummary = z.infer<typeof ConsumerGroupSummary>;

/** A listed group, with its total lag over the topics it committed on. */
export const ConsumerGroupListItem = ConsumerGroupSummary.extend({ totalLag: z.number() });
export type ConsumerGroupListItem = z.infer<typeof ConsumerGroupListItem>;

export const ConsumerGroupList = z.object({
  items: z.array(ConsumerGroupListItem),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type ConsumerGroupList = z.infer<typeof ConsumerGroupList>;

export const ConsumerGroupMember = z.object({
  memberId: z.string(),
  clientId: z.string(),
  host: z.string(),
  assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number()) })),
});
export type ConsumerGroupMember = z.infer<typeof ConsumerGroupMember>;

/**
 * Recent lag of a group, sampled by the API when the group is read (kept in memory, oldest first): `at` holds
 * the sample times, `total` the total lag at each, a partition's `lag` its lag at each (null before it was seen).
 */
export const LagTrend = z.object({
  at: z.array(z.number()),
  total: z.array(z.number()),
  partitions: z.array(
    z.object({ topic: z.string(), partition: z.number(), lag: z.array(z.number().nullable()) }),
  ),
});
export type LagTrend = z.infer<typeof LagTrend>;

export const ConsumerGroupDetail = ConsumerGroupSummary.extend({
  memberDetails: z.array(ConsumerGroupMember),
  /** Every partition the group committed on, or has assigned. */
  offsets: z.array(PartitionLag),
  totalLag: z.number(),
  trend: LagTrend,
});
export type ConsumerGroupDetail = z.infer<typeof ConsumerGroupDetail>;

const offsetNumber = z.int().min(0).max(MAX_LONG);

/**
 * Where to move a group's committed offsets: the oldest record, the end of the log, the first record at or
 * after a time (epoch milliseconds or ISO 8601; the end where none is), or an exact offset within the log.
 */
export const OffsetResetTarget = z.union([
  z.enum(['earliest', 'latest']),
  z
    .object({
      timestamp: z.union([
        z.int().min(0).max(MAX_LONG),
        z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
      ]),
    })
    .strict(),
  z.object({ offset: offsetNumber }).strict(),
]);
export type OffsetResetTarget = z.infer<typeof OffsetResetTarget>;

/** Resets one topic's offsets of a group; `partitions` narrows it (all of the topic's when left out). */
export const OffsetResetRequest = z
  .object({
    topic: TopicName,
    to: OffsetResetTarget,
    partitions: z
      .array(z.int().min(0).max(MAX_TOPIC_PARTITIONS))
      .min(1)
      .max(MAX_TOPIC_PARTITIONS)
      .refine((list) => new Set(list).size === list.length, 'no partition twice')
      .optional(),
    /** true: only say what would happen. */
    dryRun: z.boolean(),
  })
  .strict();
export type OffsetResetRequest = z.input<typeof OffsetResetRequest>;

export const OffsetResetPartition = z.object({
  partition: z.number(),
  /** The committed offset before the reset; null when the group never committed on the partition. */
  committed: z.number().nullable(),
  newOffset: z.number(),
  low: z.number(),
  high: z.number(),
  lag: z.number(),
  newLag: z.number(),
});
export type OffsetResetPartition = z.infer<typeof OffsetResetPartition>;

export const OffsetResetResult = z.object({
  groupId: z.string(),
  topic: z.string(),
  dryRun: z.boolean(),
  /** false when the group has members: a reset is refused until every member has left. */
  resettable: z.boolean(),
  state: GroupState,
  members: z.number(),
  partitions: z.array(OffsetResetPartition),
  totalLag: z.number(),
  newTotalLag: z.number(),
});
export type OffsetResetResult = z.infer<typeof OffsetResetResult>;

/** A point in time: epoch milliseconds, or an ISO 8601 date-time. */
export const QueryTimestamp = z.union(
  [
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  ],
  'epoch milliseconds or an ISO 8601 date-time',
);

export const BrowseDirection = z.enum(['newest', 'forward']);
export type BrowseDirection = z.infer<typeof BrowseDirection>;

/**
 * Where to read. `forward` reads oldest first from `offset` (or the first record at or after `timestamp`,
 * or the start); `newest` reads newest first back from `offset` (inclusive), or from the last record at or
 * before `timestamp`, or from the end. Without `partition`, every partition is read and merged by time.
 */
export const BrowseMessagesQuery = z
  .object({
    partition: z.coerce.number().int().min(0).max(MAX_TOPIC_PARTITIONS).optional(),
    offset: z
      .string()
      .regex(/^\d{1,15}$/, 'a non-negative integer')
      .transform(Number)
      .optional(),
    timestamp: QueryTimestamp.optional(),
    limit: z.coerce.number().int().min(1).max(BROWSE_MAX_LIMIT).default(50),
    maxBytes: z.coerce.number().int().min(1_024).max(BROWSE_MAX_BYTES).default(BROWSE_DEFAULT_MAX_BYTES),
    direction: BrowseDirection.default('newest'),
    /** Personal fields in clear; reserved to admins (the auth guard checks it). */
    unmasked: queryFlag,
  })
  .strict()
  .refine((query) => query.offset === undefined || query.timestamp === undefined, {
    message: 'give an offset or a timestamp, not both',
    path: ['timestamp'],
  });
export type BrowseMessagesQuery = z.infer<typeof BrowseMessagesQuery>;

/**
 * A key, value or header as read: `json` (data is the parsed, possibly masked, value), `text` (UTF-8
 * text; also a JSON value too large to show whole), or `base64` (bytes that are not UTF-8 text).
 */
export const DecodedPayload = z.object({
  encoding: z.enum(['json', 'text', 'base64']),
  data: z.unknown(),
  /** Cut to the display limit; `data` is then the beginning (masked first when JSON). */
  truncated: z.boolean(),
  sizeBytes: z.number(),
});
export type DecodedPayload = z.infer<typeof DecodedPayload>;

export const BrowsedMessage = z.object({
  partition: z.number(),
  offset: z.number(),
  /** ISO 8601; null for records written without a timestamp. */
  timestamp: z.string().nullable(),
  key: DecodedPayload.nullable(),
  value: DecodedPayload.nullable(),
  headers: z.array(z.object({ key: z.string(), value: DecodedPayload.nullable() })),
});
export type BrowsedMessage = z.infer<typeof BrowsedMessage>;

export const MessagePage = z.object({
  topic: z.string(),
  direction: BrowseDirection,
  /** Whether personal fields were masked. */
  masked: z.boolean(),
  /** Why reading stopped: the limit, the end of the asked range, the byte budget or the time budget. */
  stoppedBy: z.enum(['limit', 'end', 'maxBytes', 'timeout']),
  items: z.array(BrowsedMessage),
});
export type MessagePage = z.infer<typeof MessagePage>;

/** UTF-8 byte length without TextEncoder or Buffer (this lib runs in the browser and in Node, with no DOM types). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const ProduceMessageRequest = z
  .object({
    key: z.string().max(1_024).optional(),
    /** A string is sent as is; anything else is sent as its JSON text. */
    value: z.json(),
    headers: z
      .record(z.string().min(1).max(255), z.string().max(4_096))
      .refine((headers) => Object.keys(headers).length <= 32, 'at most 32 headers')
      .optional(),
    partition: z.int().min(0).max(MAX_TOPIC_PARTITIONS).optional(),
  })
  .strict()
  .refine(
    (message) =>
      utf8Length(typeof message.value === 'string' ? message.value : JSON.stringify(message.value)) <=
      PRODUCE_MAX_VALUE_BYTES,
    { message: `the value may take at most ${PRODUCE_MAX_VALUE_BYTES} bytes`, path: ['value'] },
  );
export type ProduceMessageRequest = z.infer<typeof ProduceMessageRequest>;

/** `force=true` (admins only): produce into one of the pipeline's own topics, which the processors read. */
export const ProduceMessageQuery = z.object({ force: queryFlag }).strict();
export type ProduceMessageQuery = z.infer<typeof ProduceMessageQuery>;

export const ProducedMessage = z.object({
  topic: z.string(),
  partition: z.number(),
  offset: z.number(),
});
export type ProducedMessage = z.infer<typeof ProducedMessage>;
