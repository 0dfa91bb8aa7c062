import { z } from 'zod';
import { Nationality } from './users.js';

export const SourceKind = z.enum(['randomuser', 'synthetic']);
export type SourceKind = z.infer<typeof SourceKind>;

/**
 * The shape of each record a run writes: `randomuser` (the API's user, keyed by user id, to the raw topic) or
 * `seed` (the Airflow + Spark tutorial's flat record, `SeedUser`, unkeyed, to the seed topic `users_created`).
 */
export const RunFormat = z.enum(['randomuser', 'seed']);
export type RunFormat = z.infer<typeof RunFormat>;

export const RUN_STATES = [
  'pending',
  'running',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'interrupted',
] as const;
export const RunState = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunState>;
export const FINISHED_RUN_STATES: readonly RunState[] = ['completed', 'stopped', 'failed', 'interrupted'];
/** The states of a run that has not ended: it can still move, and counts against the concurrent-run cap. */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['pending', 'running', 'stopping'];

const INC_FIELDS = [
  'gender',
  'name',
  'location',
  'email',
  'login',
  'registered',
  'dob',
  'phone',
  'cell',
  'id',
  'picture',
  'nat',
] as const;
export const RandomUserField = z.enum(INC_FIELDS);

/** Kafka's legal topic names: letters, digits, `.`, `_`, `-`; at most 249; not `.` or `..`. */
export const TopicName = z
  .string()
  .min(1)
  .max(249)
  .regex(/^[a-zA-Z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"')
  .refine((name) => name !== '.' && name !== '..', 'cannot be "." or ".."');

export const RunParams = z
  .object({
    source: SourceKind,
    ratePerSecond: z.number().int().min(1).max(1_000_000),
    batchSize: z.number().int().min(1).max(5_000),
    maxRecords: z.number().int().min(1).max(100_000_000).optional(),
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional(),
    seed: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-"')
      .optional(),
    nationalities: z.array(Nationality).min(1).max(21).optional(),
    include: z.array(RandomUserField).min(1).optional(),
    exclude: z.array(RandomUserField).min(1).optional(),
    /** Absent means `randomuser`. */
    format: RunFormat.optional().describe(
      "record shape: 'randomuser' (default, to the raw topic) or 'seed' (the tutorial's flat record, to users_created)",
    ),
    /** Composes with `format`: the format says what each record looks like, `topic` where it goes. */
    topic: TopicName.optional().describe(
      "write to this topic instead of the format's own (raw or seed); unless the processor reads it, the run ends once produced",
    ),
  })
  .strict();
export type RunParams = z.infer<typeof RunParams>;

export const CreateRunRequest = RunParams;
export type CreateRunRequest = RunParams;

export const RunCounters = z.object({
  fetched: z.number(),
  produced: z.number(),
  processed: z.number(),
  stored: z.number(),
  deadLettered: z.number(),
});
export type RunCounters = z.infer<typeof RunCounters>;

export const RunError = z.object({ at: z.string(), message: z.string() });

export const Run = z.object({
  id: z.string(),
  state: RunState,
  source: SourceKind,
  params: RunParams,
  scheduleId: z.string().nullable(),
  counters: RunCounters,
  error: z.string().nullable(),
  errors: z.array(RunError),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type Run = z.infer<typeof Run>;

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const RunListQuery = PageQuery.extend({
  state: RunState.optional(),
  scheduleId: z.uuid().optional(),
}).strict();

export const RunList = z.object({
  items: z.array(Run),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type RunList = z.infer<typeof RunList>;

/**
 * What a schedule does about firings missed while no backend was up: `skip` them (fire again at the next
 * firing), or fire once, for the `latest` missed firing, when a backend is back.
 */
export const CatchUpPolicy = z.enum(['skip', 'latest']);
export type CatchUpPolicy = z.infer<typeof CatchUpPolicy>;

export const Schedule = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  params: RunParams,
  enabled: z.boolean(),
  catchUp: CatchUpPolicy,
  lastFiredAt: z.string().nullable(),
  lastRunId: z.string().nullable(),
  nextFireAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof Schedule>;

const scheduleFields = {
  name: z.string().trim().min(1).max(120),
  cron: z.string().trim().min(9).max(120),
  timezone: z.string().min(1).max(64),
  params: RunParams,
  enabled: z.boolean(),
  catchUp: CatchUpPolicy,
};

export const CreateScheduleRequest = z
  .object({
    ...scheduleFields,
    timezone: scheduleFields.timezone.default('UTC'),
    enabled: scheduleFields.enabled.default(true),
    catchUp: scheduleFields.catchUp.default('skip'),
  })
  .strict();
export type CreateScheduleRequest = z.infer<typeof CreateScheduleRequest>;

/** Only the fields sent change (no defaults here, unlike creation). */
export const UpdateScheduleRequest = z.object(scheduleFields).partial().strict();
export type UpdateScheduleRequest = z.infer<typeof UpdateScheduleRequest>;

export const ScheduleList = z.object({ items: z.array(Schedule) });

export const ScheduleFiringsQuery = z
  .object({ count: z.coerce.number().int().min(1).max(50).default(5) })
  .strict();

/** The next firings of a schedule (ISO instants, increasing), computed in its time zone. */
export const ScheduleFirings = z.object({
  timezone: z.string(),
  firings: z.array(z.string()),
});
export type ScheduleFirings = z.infer<typeof ScheduleFirings>;

export const RUN_EVENT_KINDS = [
  'started',
  'retry',
  'error',
  'page',
  'completed',
  'stopped',
  'failed',
  'interrupted',
] as const;
export const RunEventKind = z.enum(RUN_EVENT_KINDS);
export type RunEventKind = z.infer<typeof RunEventKind>;

/** One moment in a run's life, as the run recorded it. */
export const RunEvent = z.object({
  id: z.number(),
  runId: z.string(),
  at: z.string(),
  kind: RunEventKind,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type RunEvent = z.infer<typeof RunEvent>;

export const RunEventsQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** A run's events, oldest first. */
export const RunEventList = z.object({
  items: z.array(RunEvent),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type RunEventList = z.infer<typeof RunEventList>;

/** A record the processor could not store, as written to the dead-letter topic. */
export const DeadLetter = z.object({
  reason: z.string(),
  topic: z.string(),
  partition: z.number(),
  offset: z.string(),
  key: z.string().nullable(),
  runId: z.string().nullable(),
  failedAt: z.string(),
  /** The original value, base64, byte for byte (its first DEAD_LETTER_VALUE_MAX bytes when larger). */
  value: z.string().nullable(),
  /** Size of the original value in bytes. */
  valueBytes: z.number().int(),
  valueTruncated: z.boolean(),
});
/** A dead letter must fit in a Kafka message (1 MB by default) even when the value it carries did not. */
export const DEAD_LETTER_VALUE_MAX = 256 * 1024;
export type DeadLetter = z.infer<typeof DeadLetter>;
