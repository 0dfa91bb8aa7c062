import type { DeadLetterKind } from '@userstream/contracts';

/**
 * The kind of a dead letter's reason, from the wording the processor uses (`processing/message-values.ts`,
 * `user-transform.ts`, `seed/seed-user.transform.ts`, `users/user-row.limits.ts`, `processing.service.ts`).
 * Read from the text rather than stored by the processor, so letters written before kinds existed group too.
 */
const RULES: readonly [RegExp, DeadLetterKind][] = [
  [/^the store refused the record/, 'store_refused'],
  [/^empty value$/, 'empty'],
  [/^value of \d+ bytes exceeds/, 'too_large'],
  [/^value is not valid UTF-8$/, 'not_utf8'],
  [/^value is not JSON/, 'not_json'],
  [/^not a (seed )?user object/, 'not_an_object'],
  [/^(no id$|id is not a UUID)/, 'missing_id'],
  [/(does not fit a Cassandra int|-byte limit of its search index)/, 'store_limit'],
  [/^invalid (seed )?user: /, 'invalid_fields'],
  [/^name\.first and name\.last are required/, 'invalid_fields'],
  [/(is not a date|is not a Unix time)$/, 'invalid_fields'],
];

export function reasonKind(reason: string): DeadLetterKind {
  return RULES.find(([pattern]) => pattern.test(reason))?.[1] ?? 'other';
}
