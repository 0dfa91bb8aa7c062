import type { UserRow } from './user-row.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Cassandra 5.0 refuses an SAI-indexed text term over 8 KiB (sai_string_term_size_fail_threshold). */
export const MAX_INDEXED_TERM_BYTES = 8 * 1024;
/** The text columns an SAI index reads: users_search (005_users_search_async.cql), run_id also on users. */
const INDEXED_TEXT = [
  'runId',
  'country',
  'nat',
  'gender',
  'email',
  'username',
  'firstName',
  'lastName',
] as const;
const INT_COLUMNS = ['age', 'kafkaPartition'] as const;

/**
 * Why Cassandra would refuse this row, checked before writing so that a bad record is dead-lettered with a clear
 * reason instead of failing a write; null when every value fits its column and index.
 */
export function storeRefusal(row: UserRow): string | null {
  for (const field of INT_COLUMNS) {
    const value = row[field];
    if (value !== null && (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)) {
      return `${field}: ${value} does not fit a Cassandra int`;
    }
  }
  for (const field of INDEXED_TEXT) {
    const value = row[field];
    if (value === null) {
      continue;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_INDEXED_TERM_BYTES) {
      return `${field}: ${bytes} bytes exceed the ${MAX_INDEXED_TERM_BYTES}-byte limit of its search index`;
    }
  }
  return null;
}
