import { createHash } from 'node:crypto';
import type { RawUser } from '@userstream/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Namespace of derived user ids (a fixed random uuid), so they cannot collide with other v5 ids. */
const USER_NAMESPACE = Buffer.from('6f1d2c4e8a3b4d7f9e0c5b1a2d3e4f56', 'hex');

/**
 * The id a user is stored under. API 1.2+ sends `login.uuid`; 1.0/1.1 (and `inc=` without `login`) do not,
 * so the id is then a version-5 uuid over what identifies the record. Never random: the same record
 * fetched or redelivered twice overwrites itself instead of becoming two users.
 */
export function deriveUserId(raw: RawUser): string {
  const uuid = raw.login?.uuid?.trim();
  if (uuid && UUID.test(uuid) && uuid !== NIL_UUID) {
    return uuid.toLowerCase();
  }
  return uuidV5(canonicalIdentity(raw));
}

/**
 * Ages are left out on purpose: the API computes them at request time, so they drift between fetches.
 * JSON of a fixed-order array keeps the string unambiguous whatever the fields contain.
 */
function canonicalIdentity(raw: RawUser): string {
  return JSON.stringify([
    raw.email?.trim().toLowerCase() ?? null,
    raw.login?.username ?? null,
    raw.name?.title ?? null,
    raw.name?.first ?? null,
    raw.name?.last ?? null,
    dateKey(raw.dob),
    dateKey(raw.registered),
    raw.phone ?? null,
    raw.nat?.toUpperCase() ?? null,
  ]);
}

function dateKey(value: RawUser['dob']): string | number | null {
  if (value === undefined) {
    return null;
  }
  return typeof value === 'object' ? value.date : value;
}

/** RFC 4122 version 5: SHA-1 over namespace + name, with the version and variant bits set. */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(USER_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
