import { SeedUser } from '@userstream/contracts';
import type { z } from 'zod';

/** The tutorial table's columns, in its order; every one is text except the uuid key. */
export const SEED_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'gender',
  'address',
  'post_code',
  'email',
  'username',
  'registered_date',
  'phone',
  'picture',
] as const;
export type SeedColumn = (typeof SEED_COLUMNS)[number];

/** One row of `created_users`: every column as a string, `id` a lower-case UUID. */
export type SeedRow = Record<SeedColumn, string>;

export type SeedDecoded = { ok: true; row: SeedRow } | { ok: false; reason: string };

/**
 * A tutorial record is about 400 bytes. Larger values are refused before parsing: the processor holds
 * thousands of rows in memory under a small heap, so one producer bug must not be able to fill it.
 */
export const SEED_VALUE_MAX_BYTES = 16 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SeedFields = SeedUser.omit({ id: true });

/**
 * A Kafka value of the tutorial's producer -> a row of its table, or why it can never be one. The fields are
 * stored as sent (the tutorial's Spark job does not trim or normalise); `dob` is read by no column, so ignored.
 */
export function decodeSeedUser(value: Buffer | null): SeedDecoded {
  if (!value || value.length === 0) {
    return { ok: false, reason: 'empty value' };
  }
  if (value.length > SEED_VALUE_MAX_BYTES) {
    return {
      ok: false,
      reason: `value of ${value.length} bytes exceeds ${SEED_VALUE_MAX_BYTES} (a seed user is about 400)`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { ok: false, reason: 'value is not valid UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  return toSeedRow(json);
}

/** A parsed value -> a row; the id is checked first, so a record without one says so plainly. */
export function toSeedRow(json: unknown): SeedDecoded {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: `not a seed user object (got ${describe(json)})` };
  }
  const id = SeedUser.shape.id.safeParse((json as { id?: unknown }).id);
  if (!id.success) {
    const raw = (json as { id?: unknown }).id;
    return {
      ok: false,
      reason: raw === undefined ? 'no id' : `id is not a UUID (got ${describe(raw)})`,
    };
  }
  const fields = SeedFields.safeParse(json);
  if (!fields.success) {
    return { ok: false, reason: summariseIssues(fields.error.issues) };
  }
  const user = fields.data;
  return {
    ok: true,
    row: {
      // Cassandra answers uuids in lower case: store-and-read-back compares equal
      id: id.data.toLowerCase(),
      first_name: user.first_name,
      last_name: user.last_name,
      gender: user.gender,
      address: user.address,
      // Spark's from_json keeps a number's JSON text for a string column; String() gives the same for
      // the integer post codes randomuser.me sends
      post_code: String(user.post_code),
      email: user.email,
      username: user.username,
      registered_date: user.registered_date,
      phone: user.phone,
      picture: user.picture,
    },
  };
}

function summariseIssues(issues: z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
  if (issues.length > shown.length) {
    shown.push(`and ${issues.length - shown.length} more`);
  }
  return `invalid seed user: ${shown.join('; ')}`;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `a string "${value.slice(0, 40)}"` : `a ${typeof value}`;
}
