/** What every benchmark case receives: the sizes of this run, the backend under test and the stack. */
import type { AppConfig } from '#src/config/app-config.js';
import type { BackendProcess } from './backend-process.js';
import type { BenchStack } from './bench-stack.js';
import type { RoundPlan } from './harness.js';
import type { Figure } from './report.js';
import type { RunsClient } from './runs-client.js';

export interface BenchSettings {
  mode: 'quick' | 'full';
  produce: RoundPlan & {
    records: number;
    warmupRecords: number;
    /**
     * As RunExecution sends: one `send` per source page of `batchSize`, `inFlight` of them at once. Not
     * 5,000: with ~1.2 kB users a 5,000-record send puts ~1 MB in each of 6 partitions' record batches,
     * over the broker's message.max.bytes (1 MB), and Kafka refuses it (MESSAGE_TOO_LARGE).
     */
    batchSize: number;
    inFlight: number;
    /** Distinct pre-serialised users the raw producer cycles through. */
    poolSize: number;
  };
  cassandra: RoundPlan & { rows: number; warmupRows: number; concurrency: number; poolSize: number };
  endToEnd: RoundPlan & { users: number; warmupUsers: number; batchSize: number };
  latency: {
    ratePerSecond: number;
    batchSize: number;
    seconds: number;
    warmupSeconds: number;
    windows: number;
    /** How long to wait for Cassandra to settle (no compaction, search indexer caught up) first. */
    settleSeconds: number;
  };
  drain: RoundPlan & { records: number; clusterRecords: number; scaleOutRounds: number };
  live: { clients: number; ratePerSecond: number; batchSize: number; seconds: number; warmupSeconds: number };
  rssIntervalMs: number;
}

export function benchSettings(quick: boolean): BenchSettings {
  return {
    mode: quick ? 'quick' : 'full',
    produce: {
      warmup: 1,
      rounds: quick ? 2 : 5,
      records: quick ? 20_000 : 200_000,
      warmupRecords: quick ? 5_000 : 50_000,
      batchSize: 2_000,
      inFlight: 4,
      poolSize: 20_000,
    },
    cassandra: {
      warmup: 1,
      rounds: quick ? 2 : 5,
      rows: quick ? 6_000 : 100_000,
      // seven models a round: a quick warm-up only has to touch each table once
      warmupRows: quick ? 1_500 : 30_000,
      concurrency: 256,
      poolSize: 20_000,
    },
    endToEnd: {
      warmup: 1,
      rounds: quick ? 2 : 3,
      users: quick ? 6_000 : 200_000,
      warmupUsers: quick ? 2_000 : 10_000,
      batchSize: 2_000,
    },
    latency: {
      ratePerSecond: 1_000,
      batchSize: 100,
      seconds: quick ? 6 : 60,
      warmupSeconds: quick ? 1 : 5,
      windows: 5,
      settleSeconds: quick ? 30 : 180,
    },
    drain: {
      // cases 2 and 3 have warmed Cassandra and Kafka by then, and every round starts new processes anyway
      warmup: quick ? 0 : 1,
      rounds: quick ? 2 : 3,
      scaleOutRounds: quick ? 2 : 3,
      // ten drains in a full run: 100,000 records keeps each one ~50 s at this machine's ~2,000 rows/s; a quick
      // round of 6,000 lasted about a second, mostly the group's first fetches, and timed two processes at half
      // of one where 20,000 and 100,000 time them alike
      records: quick ? 20_000 : 100_000,
      // a cluster of three drains at ~450 rows/s here, and three processes take tens of seconds to all hold
      // partitions: a quick round must outlast that, or the records finished meanwhile are committed at once
      // when the group settles and the timing sees only a burst
      clusterRecords: quick ? 30_000 : 100_000,
    },
    live: {
      clients: 50,
      ratePerSecond: 5_000,
      batchSize: 500,
      seconds: quick ? 4 : 30,
      warmupSeconds: quick ? 1 : 2,
    },
    rssIntervalMs: 200,
  };
}

export interface BenchContext {
  settings: BenchSettings;
  /** The configuration the backend under test was started with (topics, keyspace, partitions). */
  config: AppConfig;
  /** The backend under test: `node dist/main.js` with APP_ROLE=api (REST, runs, live gateway; no processor). */
  backend: BackendProcess;
  /** Runs are started and followed through the backend's REST API. */
  runs: RunsClient;
  backendUrl: string;
  stack: BenchStack;
  /** Every topic and group of this run starts with it (`bench-<stamp>-`); all are deleted at the end. */
  prefix: string;
  /** Environment of a processor process of this run (keyspace, database...), plus `extra`. */
  processorEnv(extra?: Record<string, string>): Record<string, string>;
}

export interface CaseOutcome {
  figures: Figure[];
  notes?: string[];
}
