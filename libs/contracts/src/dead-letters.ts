import { z } from 'zod';
import { DecodedPayload } from './topics.js';

/**
 * What a dead letter's free-text reason is about, so letters group by cause rather than by wording
 * (`name.first: expected string` and `dob.date: "x" is not a date` are both `invalid_fields`).
 */
export const DeadLetterKind = z.enum([
  'empty',
  'too_large',
  'not_utf8',
  'not_json',
  'not_an_object',
  'missing_id',
  'invalid_fields',
  /** Caught by the processor's own check of what the store's columns and indexes accept. */
  'store_limit',
  /** Refused by Cassandra or its driver on write. */
  'store_refused',
  'other',
]);
export type DeadLetterKind = z.infer<typeof DeadLetterKind>;

/** Headers a redriven record carries, beside the original record's own. */
export const RedriveHeaders = {
  /** The dead letter it came from: `<dead-letter topic>/<partition>/<offset>`. */
  of: 'x-redrive-of',
  redriveId: 'x-redrive-id',
} as const;

/** `runId=none` selects the letters of records that carried no run id (sent by something other than a run). */
export const NO_RUN = 'none';
const RunFilter = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a run id, or "none"');

/** One group: letters of one kind in one run. */
export const DeadLetterGroup = z.object({
  kind: DeadLetterKind,
  runId: z.string().nullable(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** The reason of the latest letter in the group, as the processor wrote it. */
  example: z.string(),
});
export type DeadLetterGroup = z.infer<typeof DeadLetterGroup>;

export const DeadLetterSummary = z.object({
  total: z.number().int(),
  /** Per kind and run, largest first (at most 500 groups; `total` counts them all). */
  groups: z.array(DeadLetterGroup),
  /** Letters read from the dead-letter topic into the index so far, per partition: how current this is. */
  indexedUpTo: z.array(z.object({ partition: z.number().int(), offset: z.string() })),
});
export type DeadLetterSummary = z.infer<typeof DeadLetterSummary>;

/** A dead letter's id: its partition and offset in the dead-letter topic. */
export const DeadLetterId = z.string().regex(/^\d{1,5}:\d{1,19}$/, 'partition:offset of a dead letter');

export const DeadLetterRecordsQuery = z
  .object({
    reason: DeadLetterKind.optional(),
    runId: RunFilter.optional(),
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor returned by this API')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    /** Admin only: the original bytes as they were, personal data included. */
    unmasked: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
  })
  .strict();

export const RedriveState = z.enum(['pending', 'produced']);

export const DeadLetterRecord = z.object({
  id: DeadLetterId,
  kind: DeadLetterKind,
  reason: z.string(),
  runId: z.string().nullable(),
  /** Where the original record was read from. */
  source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
  key: z.string().nullable(),
  failedAt: z.string(),
  valueBytes: z.number().int(),
  /** The letter carries only the first bytes of a larger value: it cannot be redriven. */
  valueTruncated: z.boolean(),
  /** The original value (JSON, text, or base64 when not UTF-8); null when empty or hidden. */
  original: DecodedPayload.nullable(),
  /** Not shown to this caller: text that is not JSON could hold personal data that cannot be masked field by field. */
  originalHidden: z.boolean(),
  /** Set when this record was itself a redrive that failed again. */
  redriveOf: z.string().nullable(),
  redrive: z.object({ id: z.string(), state: RedriveState, at: z.string() }).nullable(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecord>;

export const DeadLetterRecordPage = z.object({
  items: z.array(DeadLetterRecord),
  /** Whether personal fields of JSON values were masked. */
  masked: z.boolean(),
  /** Pass as `cursor` with the same filters for the next page; null when there is none. */
  nextCursor: z.string().nullable(),
});
export type DeadLetterRecordPage = z.infer<typeof DeadLetterRecordPage>;

/** The most letters one redrive request takes (by ids, or all of one reason). */
export const REDRIVE_MAX = 10_000;

/** Selected letters, or every letter of one reason (in one run, or in all). */
export const RedriveRequest = z
  .object({
    ids: z.array(DeadLetterId).min(1).max(500).optional(),
    reason: DeadLetterKind.optional(),
    runId: RunFilter.optional(),
    /** Only count what would be redriven. */
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((body) => (body.ids === undefined) !== (body.reason === undefined), {
    message: 'give either ids or reason',
    path: ['ids'],
  })
  .refine((body) => body.runId === undefined || body.reason !== undefined, {
    message: 'runId narrows a reason',
    path: ['runId'],
  });
export type RedriveRequest = z.input<typeof RedriveRequest>;

export const RedriveResult = z.object({
  /** The redrive's id, in the headers of every record it produced; null for a dry run. */
  id: z.string().nullable(),
  dryRun: z.boolean(),
  /** Letters the selection named and the index holds (ids it does not know are `unknown`). */
  matched: z.number().int(),
  /** Produced to the topic the record came from now (a dry run: would be). */
  redriven: z.number().int(),
  /** Produced by an earlier redrive (or being produced by one): never twice. */
  alreadyRedriven: z.number().int(),
  /**
   * Left out of a redrive of a whole reason: the record was already a redrive and failed again, so sending it
   * once more unchanged would loop. Select such letters by id to redrive them anyway.
   */
  skippedFailedAgain: z.number().int(),
  /** Cannot be redriven: the letter holds only the first bytes of the value, or no value. */
  skippedTruncated: z.number().int(),
  /** Cannot be redriven: the record came from a topic the processor does not read. */
  skippedOtherTopic: z.number().int(),
  unknown: z.number().int(),
  /** More letters match than one request takes (REDRIVE_MAX): send it again for the rest. */
  more: z.boolean(),
});
export type RedriveResult = z.infer<typeof RedriveResult>;

export const RedriveSummary = z.object({
  id: z.string(),
  actor: z.string(),
  startedAt: z.string(),
  records: z.number().int(),
  produced: z.number().int(),
  /** Claimed but not confirmed produced: in flight, or its backend stopped between producing and recording. */
  pending: z.number().int(),
});
export const RedriveList = z.object({ items: z.array(RedriveSummary) });
export type RedriveList = z.infer<typeof RedriveList>;
