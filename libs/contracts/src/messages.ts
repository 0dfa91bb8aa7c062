import { z } from 'zod';
import { queryFlag } from './query.js';
import { TopicName } from './ingestion.js';
import { BrowseDirection, BrowsedMessage, MAX_TOPIC_PARTITIONS, QueryTimestamp } from './topics.js';

/** Messages read per search call: the default, and the most a caller may ask for. */
export const SEARCH_DEFAULT_BUDGET = 10_000;
export const SEARCH_MAX_BUDGET = 100_000;
/** Matches returned per search call. */
export const SEARCH_DEFAULT_MAX_MATCHES = 100;
export const SEARCH_MAX_MATCHES = 500;
/** An export scans more: it streams its rows instead of holding a page. */
export const EXPORT_DEFAULT_BUDGET = 100_000;
export const EXPORT_MAX_BUDGET = 1_000_000;
export const EXPORT_DEFAULT_MAX_MATCHES = 10_000;
export const EXPORT_MAX_MATCHES = 100_000;

export const KeyMatch = z.enum(['contains', 'equals']);
export type KeyMatch = z.infer<typeof KeyMatch>;

export const ExportFormat = z.enum(['jsonl', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** A dotted path into a JSON value: object keys, or array indexes (`results.0.location.country`). */
export const JsonFieldPath = z
  .string()
  .max(256)
  .regex(/^[^.\s]+(\.[^.\s]+){0,15}$/, 'dot-separated keys, e.g. location.country');

const offsetParam = z
  .string()
  .regex(/^\d{1,15}$/, 'a non-negative integer')
  .transform(Number);
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * What a search or an export looks for (all given filters must match) and where it starts. `forward` scans
 * oldest first from `offset` (or the first record at or after `timestamp`, or the beginning) to the end as it
 * was when the search started; `newest` scans newest first from `offset` (inclusive, or the last record at or
 * before `timestamp`, or the end) back to the beginning. Without `partition`, every partition is scanned.
 */
const messageFilterShape = {
  /** Matched against the key as text: contained in it (case ignored) or equal to it. */
  key: z.string().min(1).max(1_024).optional(),
  keyMatch: KeyMatch.default('contains'),
  /** A header of this name (exact), with exactly `headerValue` when given. */
  header: z.string().min(1).max(255).optional(),
  headerValue: z.string().max(4_096).optional(),
  /** Contained in the value's text, case ignored. */
  text: z.string().min(1).max(1_024).optional(),
  /** A JSON value's field equal to `fieldValue`: a string exactly, a number, boolean or null by its JSON text. */
  field: JsonFieldPath.optional(),
  fieldValue: z.string().max(1_024).optional(),
  partition: z.coerce.number().int().min(0).max(MAX_TOPIC_PARTITIONS).optional(),
  offset: offsetParam.optional(),
  timestamp: QueryTimestamp.optional(),
  direction: BrowseDirection.default('forward'),
  /** Personal fields in clear; reserved to admins (the auth guard checks it). */
  unmasked: queryFlag,
};

type FilterFields = {
  header?: string;
  headerValue?: string;
  field?: string;
  fieldValue?: string;
  offset?: number;
  timestamp?: number;
};

function checkFilters(query: FilterFields, ctx: z.RefinementCtx) {
  if (query.headerValue !== undefined && query.header === undefined) {
    ctx.addIssue({ code: 'custom', path: ['headerValue'], message: 'name the header too' });
  }
  if ((query.field === undefined) !== (query.fieldValue === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [query.field === undefined ? 'field' : 'fieldValue'],
      message: 'give both field and fieldValue',
    });
  }
  if (query.offset !== undefined && query.timestamp !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'give an offset or a timestamp, not both' });
  }
}

export const MessageSearchQuery = z
  .object({
    ...messageFilterShape,
    /** Messages read at most by this call. */
    budget: count(1, SEARCH_MAX_BUDGET, SEARCH_DEFAULT_BUDGET),
    maxMatches: count(1, SEARCH_MAX_MATCHES, SEARCH_DEFAULT_MAX_MATCHES),
    /** `nextCursor` of the previous call, with the same filters and start. */
    cursor: z.string().min(1).max(16_384).optional(),
  })
  .strict()
  .superRefine(checkFilters);
export type MessageSearchQuery = z.infer<typeof MessageSearchQuery>;

export const MessageExportQuery = z
  .object({
    ...messageFilterShape,
    format: ExportFormat.default('jsonl'),
    budget: count(1, EXPORT_MAX_BUDGET, EXPORT_DEFAULT_BUDGET),
    maxMatches: count(1, EXPORT_MAX_MATCHES, EXPORT_DEFAULT_MAX_MATCHES),
    /** Start where a search's `nextCursor` says, with that search's filters. */
    cursor: z.string().min(1).max(16_384).optional(),
  })
  .strict()
  .superRefine(checkFilters);
export type MessageExportQuery = z.infer<typeof MessageExportQuery>;

/**
 * How far a search got on one partition. It scans offsets from `start` towards `end` (upwards for
 * `forward`, downwards for `newest`); `position` is where the next call goes on.
 */
export const SearchPartitionProgress = z.object({
  partition: z.number(),
  start: z.number(),
  position: z.number(),
  end: z.number(),
  done: z.boolean(),
});
export type SearchPartitionProgress = z.infer<typeof SearchPartitionProgress>;

export const MessageSearchPage = z.object({
  topic: z.string(),
  direction: BrowseDirection,
  masked: z.boolean(),
  /** Matches of this call, oldest first (`forward`) or newest first (`newest`). */
  items: z.array(BrowsedMessage),
  /** Messages read by this call, and the most it could read. */
  scanned: z.number(),
  budget: z.number(),
  /**
   * Why this call stopped: everything is scanned (`end`), the scan budget, the match count, the byte
   * budget of the matches kept, or the time budget.
   */
  stoppedBy: z.enum(['end', 'budget', 'maxMatches', 'maxBytes', 'timeout']),
  progress: z.object({
    partitions: z.array(SearchPartitionProgress),
    /** Offsets covered since the search started, out of all it covers. */
    covered: z.number(),
    total: z.number(),
  }),
  /** Continues exactly where this call stopped; null once everything is scanned. */
  nextCursor: z.string().nullable(),
});
export type MessageSearchPage = z.infer<typeof MessageSearchPage>;

/** Live tail of a topic over the `/live` socket.io namespace: at most one batch per interval per topic. */
export const TAIL_BATCH_INTERVAL_MS = 250;
export const TAIL_BATCH_CAP = 200;

export const TailRequest = z.object({ topic: TopicName }).strict();
export type TailRequest = z.infer<typeof TailRequest>;

export const TailErrorCode = z.enum([
  'INVALID_TOPIC',
  'TOPIC_NOT_FOUND',
  'TOO_MANY_TAILS',
  'KAFKA_UNAVAILABLE',
  'KAFKA_ERROR',
]);
export type TailErrorCode = z.infer<typeof TailErrorCode>;

export const TailSubscribeResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    topic: z.string(),
    /** Where the tail started on each partition: messages from these offsets on arrive. */
    partitions: z.array(z.object({ partition: z.number(), offset: z.number() })),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: TailErrorCode, message: z.string() }) }),
]);
export type TailSubscribeResult = z.infer<typeof TailSubscribeResult>;

/**
 * New messages of a tailed topic, in the order read. Above the cap only the newest are sent, `dropped`
 * saying how many were left out.
 */
export const TailBatch = z.object({
  topic: z.string(),
  masked: z.boolean(),
  items: z.array(BrowsedMessage),
  dropped: z.number().int().min(0),
});
export type TailBatch = z.infer<typeof TailBatch>;
