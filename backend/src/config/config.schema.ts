import { ConsumerGroups, SEED_KEYSPACE } from '@userstream/contracts';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const csv = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

/** Signs paging cursors when nothing else is set: fine on loopback, refused on any other bind. */
export const DEV_CURSOR_SECRET = 'userstream-dev-cursor-secret-change-me';

/** An address only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Express' "trust proxy": off, a hop count, or the addresses (and subnets, names) of trusted proxies. */
export type TrustProxy = false | number | string[];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** Unset or empty: the value follows from the cluster (see where it is read). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Cassandra consistency levels a write or a read may ask for (names as in CQL, lower-case). */
export const CONSISTENCY_LEVELS = [
  'any',
  'one',
  'two',
  'three',
  'quorum',
  'all',
  'local_quorum',
  'each_quorum',
  'local_one',
] as const;
export type ConsistencyName = (typeof CONSISTENCY_LEVELS)[number];

/** Every environment variable the backend reads; `.env.example` documents the same list. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_ROLE: z.enum(['all', 'api', 'processor']).default('all'),
  PORT: int(1, 65535).default(3001),
  // the address the API listens on: loopback by default, so a fresh start is reachable from this machine only
  HOST: z.string().min(1).default('127.0.0.1'),
  // host names the API answers to besides loopback ones (Host header; refuses DNS rebinding), e.g. a proxy's
  ALLOWED_HOSTS: z.preprocess((value) => (value === '' ? undefined : value), csv.optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: csv.default(['http://127.0.0.1:3000', 'http://localhost:3000']),
  // whose X-Forwarded-For to believe (Express "trust proxy"): off, a hop count, or addresses, subnets and the
  // names loopback, linklocal, uniquelocal; a proxy must overwrite the header, or clients can choose their address
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, ctx): TrustProxy => {
      if (value === '' || value === 'false') {
        return false;
      }
      if (/^\d+$/.test(value)) {
        return Number(value);
      }
      const list = value.split(',').map((item) => item.trim());
      try {
        proxyaddr.compile(list);
        return list;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),

  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/userstream'),

  KAFKA_BROKERS: csv.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('userstream'),
  KAFKA_TOPIC_PARTITIONS: int(1, 1000).default(6),
  // copies of each pipeline topic; unset: min(3, brokers in the cluster)
  KAFKA_REPLICATION_FACTOR: optional(int(1, 10)),
  // replicas that must hold a write before the producers' acks=all succeeds; unset: 2 when the factor is 3 or
  // more (one broker may be down), else the broker's default (1)
  KAFKA_MIN_INSYNC_REPLICAS: optional(int(1, 10)),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[\w.-]{0,100}$/, 'letters, digits, ".", "_" and "-"')
    .default(''),
  // the tutorial's topic of seed-format users, read by the processor (default: KAFKA_TOPIC_PREFIX + users_created)
  SEED_TOPIC: z
    .string()
    .regex(/^[\w.-]{1,249}$/, 'letters, digits, ".", "_" and "-"')
    .optional(),
  PROCESSOR_GROUP_ID: z
    .string()
    .regex(/^[\w.-]{1,200}$/, 'letters, digits, ".", "_" and "-"')
    .default(ConsumerGroups.processor),

  // write requests one processor process keeps in flight against Cassandra (all its partitions share them)
  PROCESSOR_WRITE_CONCURRENCY: int(1, 4096).default(256),
  // rows per write request, an unlogged batch (1: a request per row)
  PROCESSOR_WRITE_BATCH_ROWS: int(1, 100).default(10),
  // rows waiting for a write slot beyond which the processor pauses fetching
  PROCESSOR_MAX_QUEUED_WRITES: int(100, 1_000_000).default(4096),
  // a processor-only process's HTTP port on HOST: /health/live, /health/ready, /metrics (0: any free port)
  PROCESSOR_HTTP_PORT: int(0, 65535).default(3002),

  CASSANDRA_CONTACT_POINTS: csv.default(['127.0.0.1:9042']),
  CASSANDRA_LOCAL_DC: z.string().min(1).default('datacenter1'),
  CASSANDRA_KEYSPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _ (max 48)')
    .default('userstream'),
  // keyspace of the tutorial's created_users table (seed compatibility); another one keeps tests off real data
  SEED_KEYSPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _ (max 48)')
    .default(SEED_KEYSPACE),
  // copies of each row in CASSANDRA_LOCAL_DC (NetworkTopologyStrategy); unset: min(3, nodes in that data center)
  CASSANDRA_REPLICATION_FACTOR: optional(int(1, 10)),
  // unset: local_quorum when the replication factor is 3 or more (one node may be down), else local_one
  CASSANDRA_WRITE_CONSISTENCY: optional(z.enum(CONSISTENCY_LEVELS)),
  CASSANDRA_READ_CONSISTENCY: optional(z.enum(CONSISTENCY_LEVELS)),

  // hours of throughput history and of run curves kept in PostgreSQL (the live page's longest view is 24 h)
  HISTORY_RETENTION_HOURS: int(1, 24 * 366).default(24),

  RANDOMUSER_BASE_URL: z.url().default('https://randomuser.me/api/'),
  INGESTION_MAX_CONCURRENT_RUNS: int(1, 64).default(4),

  // signs the users API's paging cursors; the default is for development only
  CURSOR_SECRET: z.string().min(16, 'at least 16 characters').default(DEV_CURSOR_SECRET),

  // none: no authentication, every caller is an admin (local use); token: bearer tokens required
  AUTH_MODE: z.enum(['none', 'token']).default('none'),
  // the first admin token, upserted at boot; stored as a plain sha256, so it must be long and random
  AUTH_ADMIN_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(32, 'at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  ),
  // requests per minute per client (its token once known valid, else its address); /api/health is not limited
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(1200),
  // tokens not yet known valid, per client address per minute: each may cost a PostgreSQL lookup
  RATE_LIMIT_AUTH_PER_MINUTE: int(1, 1_000_000).default(30),
  // live (socket.io) handshakes per client address per minute
  RATE_LIMIT_HANDSHAKES_PER_MINUTE: int(1, 1_000_000).default(60),
  // topic message browses per client per minute: each starts a Kafka consumer
  RATE_LIMIT_BROWSE_PER_MINUTE: int(1, 1_000_000).default(60),

  // OTLP/HTTP collector base URL (traces go to <url>/v1/traces); unset: no tracing at all
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  // unset: userstream-api, or userstream-processor for APP_ROLE=processor
  OTEL_SERVICE_NAME: optional(z.string().trim().min(1)),
});

/**
 * What an API reachable from other machines must not run with: no authentication (every caller would be an
 * admin) or the development cursor secret (anyone could forge paging cursors).
 */
const exposedSchema = envSchema.superRefine((env, ctx) => {
  if (env.APP_ROLE === 'processor') {
    return;
  }
  // production may sit behind a proxy on this machine: loopback does not make it private there
  const exposure =
    env.NODE_ENV === 'production'
      ? 'with NODE_ENV=production'
      : isLoopbackHost(env.HOST)
        ? null
        : `when HOST=${env.HOST} (not loopback)`;
  if (exposure === null) {
    return;
  }
  if (env.AUTH_MODE === 'none') {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_MODE'],
      message: `none is refused ${exposure}: anyone who reaches the API would be an admin; set AUTH_MODE=token and AUTH_ADMIN_TOKEN`,
    });
  }
  if (env.CURSOR_SECRET === DEV_CURSOR_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['CURSOR_SECRET'],
      message: `the development default is refused ${exposure}: set a random one (e.g. openssl rand -hex 32)`,
    });
  }
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment, throwing one error that lists every bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = exposedSchema.safeParse(raw);
  if (result.success) {
    return result.data;
  }
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}
