import type { SeedUser } from '@userstream/contracts';
import { deriveUserId } from '#src/users/index.js';

type Dict = Record<string, unknown>;

const dict = (value: unknown): Dict | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Dict) : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
/** API 1.0/1.1 send `dob` and `registered` as a bare date, later versions as `{ date, age }`. */
const dateOf = (value: unknown): string | undefined => text(dict(value)?.date ?? value);

/**
 * "<number> <name>, <city>, <state>, <country>", as the tutorial joins them. API 1.0/1.1 send the street as
 * one string and no country: the parts present are joined.
 */
function addressOf(location: Dict | undefined): string | undefined {
  if (!location) {
    return undefined;
  }
  const street = dict(location.street);
  const line = street
    ? [text(street.number), text(street.name)].filter(Boolean).join(' ')
    : text(location.street);
  const parts = [line, text(location.city), text(location.state), text(location.country)].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function idOf(user: Dict): string | undefined {
  try {
    return deriveUserId(user);
  } catch {
    return undefined;
  }
}

/**
 * A randomuser-shaped user -> the tutorial's flat record. The id is the one the user is stored under in
 * userstream (`login.uuid`, else derived from the user), so the same user always maps to the same row. A
 * field the user lacks is left out rather than invented: the processor then dead-letters the record with
 * a reason, as it does a broken raw user.
 */
export function toSeedUser(raw: unknown): Partial<SeedUser> {
  const user = dict(raw);
  if (!user) {
    return {};
  }
  const name = dict(user.name);
  const location = dict(user.location);
  const postcode = location?.postcode;
  // a missing field stays undefined, which JSON.stringify leaves out
  return {
    id: idOf(user),
    first_name: text(name?.first),
    last_name: text(name?.last),
    gender: text(user.gender),
    address: addressOf(location),
    post_code: typeof postcode === 'number' ? postcode : text(postcode),
    email: text(user.email),
    username: text(dict(user.login)?.username),
    dob: dateOf(user.dob),
    registered_date: dateOf(user.registered),
    phone: text(user.phone),
    picture: text(dict(user.picture)?.medium),
  };
}
