import type { Env } from './config.schema.js';

/** Typed, grouped configuration handed to the rest of the backend. */
export class AppConfig {
  readonly role: Env['APP_ROLE'];
  readonly http: { port: number; corsOrigins: string[] };
  readonly log: { level: Env['LOG_LEVEL']; pretty: boolean };
  readonly postgres: { url: string };
  readonly kafka: { brokers: string[]; clientId: string; partitions: number; replicationFactor: number };
  readonly cassandra: {
    contactPoints: string[];
    localDataCenter: string;
    keyspace: string;
    replicationFactor: number;
  };
  readonly ingestion: { randomUserBaseUrl: string; maxConcurrentRuns: number };

  constructor(env: Env) {
    this.role = env.APP_ROLE;
    this.http = { port: env.PORT, corsOrigins: env.CORS_ORIGINS };
    this.log = { level: env.LOG_LEVEL, pretty: env.NODE_ENV === 'development' };
    this.postgres = { url: env.DATABASE_URL };
    this.kafka = {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      partitions: env.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    };
    this.cassandra = {
      contactPoints: env.CASSANDRA_CONTACT_POINTS,
      localDataCenter: env.CASSANDRA_LOCAL_DC,
      keyspace: env.CASSANDRA_KEYSPACE,
      replicationFactor: env.CASSANDRA_REPLICATION_FACTOR,
    };
    this.ingestion = {
      randomUserBaseUrl: env.RANDOMUSER_BASE_URL,
      maxConcurrentRuns: env.INGESTION_MAX_CONCURRENT_RUNS,
    };
  }

  get runsApi(): boolean {
    return this.role !== 'processor';
  }

  get runsProcessor(): boolean {
    return this.role !== 'api';
  }
}
