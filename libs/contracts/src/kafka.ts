/** Kafka topic and consumer-group names: the only place they are spelled. */
export const KafkaTopics = {
  rawUsers: 'userstream.users.raw',
  processedUsers: 'userstream.users.processed',
  deadLetters: 'userstream.users.dead-letter',
  /** The Airflow + Spark tutorial's topic: flat seed-format users, no key, no headers (seed compatibility). */
  seedUsers: 'users_created',
} as const;
export type KafkaTopic = (typeof KafkaTopics)[keyof typeof KafkaTopics];

export const ConsumerGroups = {
  processor: 'userstream-processor',
} as const;

/** Headers the producer attaches to every raw record. */
export const RawUserHeaders = {
  runId: 'x-run-id',
  source: 'x-source',
  /** When the source page holding the user arrived. */
  fetchedAt: 'x-fetched-at',
  /** When the record was handed to the producer. */
  ingestedAt: 'x-ingested-at',
} as const;
