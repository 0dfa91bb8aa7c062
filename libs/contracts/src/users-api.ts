import { z } from 'zod';
import { queryFlag } from './query.js';
import { StoredUser } from './users.js';

/**
 * Control characters and bidi overrides are never part of a name. Other format characters are: Persian names
 * hold zero-width non-joiners (U+200C).
 */
const UNPRINTABLE = /[\p{Cc}\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** A free-text filter: trimmed, bounded (SAI refuses terms over 1 KiB; 4 bytes per character at worst). */
const textFilter = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !UNPRINTABLE.test(value), 'must not contain control characters');

/** Query strings carry text: digits only, so `?limit=` or `?ageMin=1e2` is refused rather than coerced. */
const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** An instant (`2020-05-01T10:00:00Z`, offsets allowed) or a day (`2020-05-01`, UTC midnight), normalised. */
const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date or date-time' })
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value))
  .refine((date) => !Number.isNaN(date.getTime()), 'must be a real date')
  .transform((date) => date.toISOString());

/** Ids are usually uuids, but any short token of letters, digits and `._:@+~-` is accepted. */
export const UserId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\p{L}\p{N}._:@+~-]+$/u, 'letters, digits and . _ : @ + ~ - only (at most 128)');

export const USER_PAGE_MAX = 200;
export const USER_PAGE_DEFAULT = 50;

/** Filters of `GET /api/users`; text filters match whole values, ignoring case and accents. */
export const UserSearchFilters = z.object({
  country: textFilter(64).optional(),
  nat: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter nationality code')
    .transform((value) => value.toUpperCase())
    .optional(),
  gender: textFilter(32).optional(),
  ageMin: intParam(0, 150).optional(),
  ageMax: intParam(0, 150).optional(),
  registeredFrom: isoInstant.optional(),
  registeredTo: isoInstant.optional(),
  email: textFilter(254).optional(),
  username: textFilter(64).optional(),
  firstName: textFilter(100).optional(),
  lastName: textFilter(100).optional(),
  runId: UserId.optional(),
});
export type UserSearchFilters = z.infer<typeof UserSearchFilters>;

/** Opaque, signed by the server: `<base64url page state>.<base64url mac>`. */
export const UserCursor = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a cursor returned by this API');

/**
 * Filters on a field that is masked for viewers and operators: admins only (403 AUTH_FORBIDDEN otherwise), since
 * a match would confirm the hidden value.
 */
export const PERSONAL_USER_FILTERS = [
  'email',
  'username',
] as const satisfies readonly (keyof UserSearchFilters)[];

/**
 * `unmasked=true` (admins only, audited): personal fields as stored. Without it they are masked for everyone,
 * admins included, so nobody sees personal data without asking for it.
 */
const unmaskedParam = { unmasked: queryFlag };

/** `GET /api/users` query: strict, so a misspelt filter is a 400 instead of silently matching everyone. */
export const UserSearchQuery = UserSearchFilters.extend({
  limit: intParam(1, USER_PAGE_MAX).default(USER_PAGE_DEFAULT),
  cursor: UserCursor.optional(),
  ...unmaskedParam,
})
  .strict()
  .refine((q) => q.ageMin === undefined || q.ageMax === undefined || q.ageMin <= q.ageMax, {
    path: ['ageMin'],
    message: 'ageMin must not be greater than ageMax',
  })
  .refine(
    (q) =>
      q.registeredFrom === undefined ||
      q.registeredTo === undefined ||
      Date.parse(q.registeredFrom) <= Date.parse(q.registeredTo),
    { path: ['registeredFrom'], message: 'registeredFrom must not be after registeredTo' },
  );
/** What the server works with (numbers, normalised dates); `UserSearchQueryInput` is what a client sends. */
export type UserSearchQuery = z.output<typeof UserSearchQuery>;
export type UserSearchQueryInput = z.input<typeof UserSearchQuery>;

/** `GET /api/users/:id` query. */
export const UserReadQuery = z.object(unmaskedParam).strict();
export type UserReadQuery = z.output<typeof UserReadQuery>;

/**
 * Personal fields of a served user (`email`, `username`, `phone`, `cell`, `street`, `dob`, `latitude`,
 * `longitude`, the pictures) are masked unless `masked` is false: `j***@example.com`, `a***`, phone digits as
 * `*`, street `***`, the others null. The types do not change, so `StoredUser` still describes every item.
 */
export const UserPage = z.object({
  items: z.array(StoredUser),
  /** Whether personal fields are masked (false only for an admin's `unmasked=true`). */
  masked: z.boolean(),
  /** Pass as `cursor` with the same filters for the next page; null when there is none. */
  nextCursor: z.string().nullable(),
});
export type UserPage = z.infer<typeof UserPage>;

/** `GET /api/users/:id`: the user, masked as in `UserPage` unless `masked` is false. */
export const UserDetail = StoredUser.extend({ masked: z.boolean() });
export type UserDetail = z.infer<typeof UserDetail>;

export const UserStatsBucket = z.object({ value: z.string(), count: z.number().int() });

export const USER_STATS_MAX_BUCKETS = 100;

/**
 * Users per value, most first: every known value (zero included, so charts keep a stable set) and any other
 * value stored, up to USER_STATS_MAX_BUCKETS. `buckets` + `other` + `none` add up to the total.
 */
export const UserStatsGroup = z.object({
  buckets: z.array(UserStatsBucket),
  /** Users whose value did not fit in the buckets. */
  other: z.number().int(),
  /** Users without a value. */
  none: z.number().int(),
});
export type UserStatsGroup = z.infer<typeof UserStatsGroup>;

export const UserStats = z.object({
  total: z.number().int(),
  byCountry: UserStatsGroup,
  byGender: UserStatsGroup,
  byNationality: UserStatsGroup,
  computedAt: z.string(),
});
export type UserStats = z.infer<typeof UserStats>;

/** The steps a record goes through, in order. */
export const LINEAGE_STAGES = ['fetched', 'produced', 'processed', 'stored'] as const;
export const LineageStage = z.enum(LINEAGE_STAGES);
export type LineageStage = z.infer<typeof LineageStage>;

/** `GET /api/users/:id/lineage`: where the stored version of a user came from, stage by stage. */
export const UserLineage = z.object({
  userId: z.string(),
  runId: z.string().nullable(),
  source: z.string(),
  /** The raw record the stored row was written from (null for rows stored before lineage was recorded). */
  kafka: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }).nullable(),
  stages: z.array(
    z.object({
      stage: LineageStage,
      /** null when that time was not recorded */
      at: z.string().nullable(),
      /** time since the previous stage with a time, ms */
      sincePreviousMs: z.number().nullable(),
    }),
  ),
  /** first to last recorded stage, ms */
  totalMs: z.number().nullable(),
});
export type UserLineage = z.infer<typeof UserLineage>;

export const UserApiErrorCode = {
  userNotFound: 'USER_NOT_FOUND',
  invalidCursor: 'INVALID_CURSOR',
  storeUnavailable: 'USERS_STORE_UNAVAILABLE',
} as const;
