import { KafkaTopics } from '@userstream/contracts';
import type { Env } from './config.schema.js';

/** Typed, grouped configuration handed to the rest of the backend. */
export class AppConfig {
  readonly role: Env['APP_ROLE'];
  readonly http: { host: string; port: number; corsOrigins: string[]; allowedHosts: string[] };
  readonly log: { level: Env['LOG_LEVEL']; pretty: boolean };
  readonly postgres: { url: string };
  readonly kafka: {
    brokers: string[];
    clientId: string;
    partitions: number;
    replicationFactor: number;
    processorGroupId: string;
    /** The pipeline's topics, with KAFKA_TOPIC_PREFIX (lets several pipelines share one cluster). */
    topics: Record<keyof typeof KafkaTopics, string>;
  };
  readonly cassandra: {
    contactPoints: string[];
    localDataCenter: string;
    keyspace: string;
    replicationFactor: number;
    /** Where the tutorial's `created_users` table lives (`spark_streams` unless tests or the bench move it). */
    seedKeyspace: string;
  };
  readonly ingestion: { randomUserBaseUrl: string; maxConcurrentRuns: number };
  readonly users: { cursorSecret: string };
  readonly auth: { mode: Env['AUTH_MODE']; adminToken: string | undefined };
  readonly rateLimit: { perMinute: number };
  readonly processor: { writeConcurrency: number; maxQueuedWrites: number };

  constructor(env: Env) {
    this.role = env.APP_ROLE;
    this.http = {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS,
      allowedHosts: env.ALLOWED_HOSTS ?? [],
    };
    this.log = { level: env.LOG_LEVEL, pretty: env.NODE_ENV === 'development' };
    this.postgres = { url: env.DATABASE_URL };
    this.kafka = {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      partitions: env.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
      processorGroupId: env.PROCESSOR_GROUP_ID,
      topics: {
        rawUsers: env.KAFKA_TOPIC_PREFIX + KafkaTopics.rawUsers,
        processedUsers: env.KAFKA_TOPIC_PREFIX + KafkaTopics.processedUsers,
        deadLetters: env.KAFKA_TOPIC_PREFIX + KafkaTopics.deadLetters,
        seedUsers: env.SEED_TOPIC ?? env.KAFKA_TOPIC_PREFIX + KafkaTopics.seedUsers,
      },
    };
    this.cassandra = {
      contactPoints: env.CASSANDRA_CONTACT_POINTS,
      localDataCenter: env.CASSANDRA_LOCAL_DC,
      keyspace: env.CASSANDRA_KEYSPACE,
      replicationFactor: env.CASSANDRA_REPLICATION_FACTOR,
      seedKeyspace: env.SEED_KEYSPACE,
    };
    this.ingestion = {
      randomUserBaseUrl: env.RANDOMUSER_BASE_URL,
      maxConcurrentRuns: env.INGESTION_MAX_CONCURRENT_RUNS,
    };
    this.users = { cursorSecret: env.CURSOR_SECRET };
    this.auth = { mode: env.AUTH_MODE, adminToken: env.AUTH_ADMIN_TOKEN };
    this.rateLimit = { perMinute: env.RATE_LIMIT_PER_MINUTE };
    this.processor = {
      writeConcurrency: env.PROCESSOR_WRITE_CONCURRENCY,
      maxQueuedWrites: env.PROCESSOR_MAX_QUEUED_WRITES,
    };
  }

  /** The pipeline's own topics (raw, processed, dead letters, seed), as named on this cluster (prefix included). */
  get pipelineTopics(): readonly string[] {
    return Object.values(this.kafka.topics);
  }

  /** Topics only the processors write: a run or a test message may not feed them. */
  get processorOutputTopics(): readonly string[] {
    return [this.kafka.topics.processedUsers, this.kafka.topics.deadLetters];
  }

  get runsApi(): boolean {
    return this.role !== 'processor';
  }

  get runsProcessor(): boolean {
    return this.role !== 'api';
  }
}
