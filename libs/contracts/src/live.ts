import { z } from 'zod';
import { Run, RunState } from './ingestion.js';
import type { TailBatch, TailRequest, TailSubscribeResult } from './messages.js';
import { StoredUser } from './users.js';

/** socket.io namespace and path of the live stream (`io(`${backendUrl}/live`, { path: '/socket.io' })`). */
export const LIVE_NAMESPACE = '/live';
export const LIVE_SOCKET_PATH = '/socket.io';
/**
 * Handshake query parameter (`io(url, { query: { unmasked: 'true' } })`): an admin's connection then gets users
 * with personal fields as stored, audited once per connection; anyone else asking is refused (`connect_error`
 * with `data.code` AUTH_FORBIDDEN). Without it every connection, an admin's included, gets them masked.
 */
export const LIVE_UNMASKED_PARAM = 'unmasked';
/** Each subscription gets at most one `users` batch per interval, of at most `LIVE_BATCH_CAP` users. */
export const LIVE_BATCH_INTERVAL_MS = 200;
export const LIVE_BATCH_CAP = 200;
export const LIVE_STATS_INTERVAL_MS = 1_000;
/**
 * Each backend instance reads the processed topic in its own consumer group,
 * `${LIVE_CONSUMER_GROUP_PREFIX}-<host>-<pid>-<random>`, from the latest offset and without commits.
 */
export const LIVE_CONSUMER_GROUP_PREFIX = 'userstream-live';

/**
 * What a client wants to see. `country` matches a user's country name or nationality code, ignoring
 * case; `runId` the run that ingested the user. `{}` is every user.
 */
export const LiveFilter = z
  .object({
    country: z.string().trim().min(1).max(80).optional(),
    runId: z.uuid().optional(),
  })
  .strict();
export type LiveFilter = z.infer<typeof LiveFilter>;

/**
 * The users processed during one batch interval that match the subscription. Above the cap the server
 * keeps a uniform sample: `sampled` is N in "1 in N" (1: every matching user is here), `total` how many
 * matched, `dropped` how many of them are not in `users`.
 */
export const LiveUsersBatch = z.object({
  at: z.string(),
  filter: LiveFilter,
  /** Personal fields masked as in `UserPage` unless `masked` is false (an admin's `unmasked` handshake). */
  users: z.array(StoredUser),
  masked: z.boolean(),
  sampled: z.number().int().min(1),
  dropped: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type LiveUsersBatch = z.infer<typeof LiveUsersBatch>;

/** Records per second through each stage, summed over all runs (from the run counters). */
export const StageRates = z.object({
  fetched: z.number(),
  produced: z.number(),
  processed: z.number(),
  stored: z.number(),
  deadLettered: z.number(),
});
export type StageRates = z.infer<typeof StageRates>;

/** One point of throughput history; also the core of every `stats` event. */
export const ThroughputPoint = z.object({
  /** Epoch milliseconds: the sample time, or the start of the bucket in downsampled history. */
  t: z.number(),
  rates: StageRates,
  /** Records per second seen on the processed topic by the answering instance. */
  streamRate: z.number(),
  /** Records in the raw topic the processor group has not committed yet; null when Kafka did not say. */
  lag: z.number().nullable(),
  /** The lag in time: seconds until the processors catch up at the current processing rate; null when not draining. */
  drainSeconds: z.number().nullable(),
  /**
   * Ingest to stored, in milliseconds, of a uniform sample of the processed records (null when none arrived):
   * from the producer's hand-off to Kafka to the processed record written after the row was stored.
   */
  latencyMs: z.object({ p50: z.number(), p99: z.number() }).nullable(),
});
export type ThroughputPoint = z.infer<typeof ThroughputPoint>;

export const LiveStats = ThroughputPoint.extend({
  /** Runs pending, running or stopping, with their counters. */
  activeRuns: z.array(Run),
  /** What the stats could not be computed from this time (PostgreSQL or Kafka unavailable). */
  problems: z.array(z.string()),
});
export type LiveStats = z.infer<typeof LiveStats>;

/** A run changed state (or appeared). */
export const LiveRunEvent = z.object({ run: Run, previousState: RunState.nullable() });
export type LiveRunEvent = z.infer<typeof LiveRunEvent>;

export const LiveErrorCode = z.enum(['INVALID_FILTER']);
export type LiveErrorCode = z.infer<typeof LiveErrorCode>;

export const LiveError = z.object({
  code: LiveErrorCode,
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type LiveError = z.infer<typeof LiveError>;

export const LiveSubscribeResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), filter: LiveFilter }),
  z.object({ ok: z.literal(false), error: LiveError }),
]);
export type LiveSubscribeResult = z.infer<typeof LiveSubscribeResult>;

/** Events the server sends on the `/live` namespace. */
export interface ServerToClientEvents {
  /** Every `LIVE_BATCH_INTERVAL_MS`, to subscribed clients, when users matched their filter. */
  users: (batch: LiveUsersBatch) => void;
  /** Every `LIVE_STATS_INTERVAL_MS`, to every client. */
  stats: (stats: LiveStats) => void;
  /** When a run changes state, to every client. */
  run: (event: LiveRunEvent) => void;
  /** A request of this client was refused (a bad filter...). */
  error: (error: LiveError) => void;
  /** New messages of the topic this client tails, every `TAIL_BATCH_INTERVAL_MS` while there are some. */
  'tail:messages': (batch: TailBatch) => void;
}

/** Events a client sends on the `/live` namespace; payloads are validated with the schemas above. */
export interface ClientToServerEvents {
  /** Starts (or replaces) this client's `users` subscription. */
  subscribe: (filter: LiveFilter, ack?: (result: LiveSubscribeResult) => void) => void;
  /** Stops this client's `users` batches; stats and run events keep coming. */
  unsubscribe: (ack?: (result: { ok: true }) => void) => void;
  /** Tails a topic from its current end (replacing this client's tail of another topic). */
  'tail:subscribe': (request: TailRequest, ack?: (result: TailSubscribeResult) => void) => void;
  'tail:unsubscribe': (ack?: (result: { ok: true }) => void) => void;
}

export const HISTORY_RANGES = ['10m', '2h', '24h'] as const;
export const HistoryRange = z.enum(HISTORY_RANGES);
export type HistoryRange = z.infer<typeof HistoryRange>;

export const LiveHistoryQuery = z.object({ range: HistoryRange.default('10m') }).strict();
export type LiveHistoryQuery = z.infer<typeof LiveHistoryQuery>;

/**
 * Throughput, lag and latency history: 1 s points for 10 minutes, 10 s buckets for 2 hours, 1 min buckets
 * for 24 hours. Kept in PostgreSQL (up to `HISTORY_RETENTION_HOURS`), so it survives restarts. Bucket rates
 * and the p50 latency are averages; `lag`, `drainSeconds` and the p99 latency are the highest in the bucket.
 */
export const LiveHistory = z.object({
  range: HistoryRange,
  bucketSeconds: z.number(),
  points: z.array(ThroughputPoint),
});
export type LiveHistory = z.infer<typeof LiveHistory>;
