import { KafkaTopics } from '@userstream/contracts';
import type { ConsistencyName, Env, TrustProxy } from './config.schema.js';

/** Typed, grouped configuration handed to the rest of the backend. */
export class AppConfig {
  readonly role: Env['APP_ROLE'];
  readonly http: {
    host: string;
    port: number;
    corsOrigins: string[];
    allowedHosts: string[];
    trustProxy: TrustProxy;
  };
  readonly log: { level: Env['LOG_LEVEL']; pretty: boolean };
  readonly postgres: { url: string };
  readonly kafka: {
    brokers: string[];
    clientId: string;
    partitions: number;
    /** Unset: min(3, brokers); see `topicReplication`. */
    replicationFactor: number | undefined;
    minInsyncReplicas: number | undefined;
    processorGroupId: string;
    /** The pipeline's topics, with KAFKA_TOPIC_PREFIX (lets several pipelines share one cluster). */
    topics: Record<keyof typeof KafkaTopics, string>;
  };
  readonly cassandra: {
    contactPoints: string[];
    localDataCenter: string;
    keyspace: string;
    /** Unset: min(3, nodes in the local data center); see `keyspaceReplication`. */
    replicationFactor: number | undefined;
    /** Unset: local_quorum from a replication factor of 3, else local_one. */
    writeConsistency: ConsistencyName | undefined;
    readConsistency: ConsistencyName | undefined;
    /** Where the tutorial's `created_users` table lives (`spark_streams` unless tests or the bench move it). */
    seedKeyspace: string;
  };
  readonly ingestion: { randomUserBaseUrl: string; maxConcurrentRuns: number };
  readonly users: { cursorSecret: string };
  readonly auth: { mode: Env['AUTH_MODE']; adminToken: string | undefined };
  readonly rateLimit: {
    perMinute: number;
    authPerMinute: number;
    handshakesPerMinute: number;
    browsePerMinute: number;
  };
  /** Throughput samples and run curves older than this are deleted. */
  readonly history: { retentionHours: number };
  readonly processor: {
    writeConcurrency: number;
    writeBatchRows: number;
    maxQueuedWrites: number;
    httpPort: number;
  };
  /** OpenTelemetry traces: off while `endpoint` is undefined. */
  readonly tracing: { endpoint: string | undefined; serviceName: string };

  constructor(env: Env) {
    this.role = env.APP_ROLE;
    this.http = {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS,
      allowedHosts: env.ALLOWED_HOSTS ?? [],
      trustProxy: env.TRUST_PROXY,
    };
    this.log = { level: env.LOG_LEVEL, pretty: env.NODE_ENV === 'development' };
    this.postgres = { url: env.DATABASE_URL };
    this.kafka = {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      partitions: env.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
      minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
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
      writeConsistency: env.CASSANDRA_WRITE_CONSISTENCY,
      readConsistency: env.CASSANDRA_READ_CONSISTENCY,
      seedKeyspace: env.SEED_KEYSPACE,
    };
    this.ingestion = {
      randomUserBaseUrl: env.RANDOMUSER_BASE_URL,
      maxConcurrentRuns: env.INGESTION_MAX_CONCURRENT_RUNS,
    };
    this.users = { cursorSecret: env.CURSOR_SECRET };
    this.auth = { mode: env.AUTH_MODE, adminToken: env.AUTH_ADMIN_TOKEN };
    this.rateLimit = {
      perMinute: env.RATE_LIMIT_PER_MINUTE,
      authPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
      handshakesPerMinute: env.RATE_LIMIT_HANDSHAKES_PER_MINUTE,
      browsePerMinute: env.RATE_LIMIT_BROWSE_PER_MINUTE,
    };
    this.history = { retentionHours: env.HISTORY_RETENTION_HOURS };
    this.processor = {
      writeConcurrency: env.PROCESSOR_WRITE_CONCURRENCY,
      writeBatchRows: env.PROCESSOR_WRITE_BATCH_ROWS,
      maxQueuedWrites: env.PROCESSOR_MAX_QUEUED_WRITES,
      httpPort: env.PROCESSOR_HTTP_PORT,
    };
    this.tracing = {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName:
        env.OTEL_SERVICE_NAME ?? (env.APP_ROLE === 'processor' ? 'userstream-processor' : 'userstream-api'),
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
