import { ConsumerGroups, SEED_KEYSPACE } from '@userstream/contracts';
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

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

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

  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/userstream'),

  KAFKA_BROKERS: csv.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('userstream'),
  KAFKA_TOPIC_PARTITIONS: int(1, 1000).default(6),
  KAFKA_REPLICATION_FACTOR: int(1, 10).default(1),
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

  // rows written to Cassandra at once by one processor process (all its partitions share them)
  PROCESSOR_WRITE_CONCURRENCY: int(1, 4096).default(256),
  // rows waiting for a write slot beyond which the processor pauses fetching
  PROCESSOR_MAX_QUEUED_WRITES: int(100, 1_000_000).default(4096),

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
  CASSANDRA_REPLICATION_FACTOR: int(1, 10).default(1),

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
  // requests per minute per client (its token, else its IP); /api/health is not limited
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(1200),
});

/**
 * What an API reachable from other machines must not run with: no authentication (every caller would be an
 * admin) or the development cursor secret (anyone could forge paging cursors).
 */
const exposedSchema = envSchema.superRefine((env, ctx) => {
  if (env.APP_ROLE === 'processor') return;
  // production may sit behind a proxy on this machine: loopback does not make it private there
  const exposure =
    env.NODE_ENV === 'production'
      ? 'with NODE_ENV=production'
      : isLoopbackHost(env.HOST)
        ? null
        : `when HOST=${env.HOST} (not loopback)`;
  if (exposure === null) return;
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
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}
