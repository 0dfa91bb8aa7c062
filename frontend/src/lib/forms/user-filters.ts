import { UserSearchFilters, UserSearchQuery } from '@userstream/contracts';
import { type FieldErrors, fieldErrors, friendly } from './run-params';

export const FILTER_KEYS = UserSearchFilters.keyof().options;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The filters as typed in the form (and as found in the URL): text until validated, blank is "any". */
export type UserFiltersDraft = Record<FilterKey, string>;

export const FILTER_LABELS: Record<FilterKey, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  username: 'Username',
  country: 'Country',
  nat: 'Nationality',
  gender: 'Gender',
  ageMin: 'Min age',
  ageMax: 'Max age',
  registeredFrom: 'Registered from',
  registeredTo: 'Registered to',
  runId: 'Run id',
};

export const EMPTY_FILTERS = Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])) as UserFiltersDraft;

/** Only known filters are read: the API refuses unknown parameters, so a stray `?page=` must not reach it. */
export const draftFromParams = (params: URLSearchParams): UserFiltersDraft =>
  Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as UserFiltersDraft;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEY_NAMES = new RegExp(`\\b(${FILTER_KEYS.join('|')})\\b`, 'g');

/** Contract messages are lower case and name parameters (`ageMin`); the form speaks in its labels. */
function humanise(message: string): string {
  const text = message.replace(KEY_NAMES, (key) => FILTER_LABELS[key as FilterKey].toLowerCase());
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type ParsedFilters =
  | {
      ok: true;
      /** What the URL shows: the filters as typed, trimmed. */
      url: URLSearchParams;
      /** What `GET /api/users` is sent. */
      request: URLSearchParams;
    }
  | { ok: false; errors: FieldErrors };

/** Validates with the API's own query schema; blank fields are left out, nothing is sent unless this passes. */
export function parseUserFilters(draft: UserFiltersDraft): ParsedFilters {
  const given = FILTER_KEYS.flatMap((key): [FilterKey, string][] => {
    const value = draft[key].trim();
    return value === '' ? [] : [[key, value]];
  });
  // the API reads a bare day as its first instant; "registered to" a day means through the end of it
  const request = new URLSearchParams(
    given.map(([key, value]) =>
      key === 'registeredTo' && DAY.test(value) ? [key, `${value}T23:59:59.999Z`] : [key, value],
    ),
  );
  const result = UserSearchQuery.safeParse(Object.fromEntries(request), { error: friendly });
  if (result.success) {
    return { ok: true, url: new URLSearchParams(given), request };
  }
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(fieldErrors(result.error.issues))) {
    if (message) {
      errors[key] = humanise(message);
    }
  }
  return { ok: false, errors };
}

/** The search request with `unmasked=true` added when an admin asked to see personal data (audited). */
export function searchRequest(request: URLSearchParams, unmasked: boolean): URLSearchParams {
  const next = new URLSearchParams(request);
  if (unmasked) {
    next.set('unmasked', 'true');
  }
  return next;
}
