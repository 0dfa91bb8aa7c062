import { randomUUID } from 'node:crypto';
import type { SeedUser } from '@userstream/contracts';
import { SyntheticSource, type SyntheticUser } from '#src/ingestion/index.js';

/** The tutorial producer's `format_data`: one randomuser.me user -> the flat record it sends. */
export function formatData(user: SyntheticUser, id: string = randomUUID()): SeedUser {
  const { location } = user;
  return {
    id,
    first_name: user.name.first,
    last_name: user.name.last,
    gender: user.gender,
    address: `${location.street.number} ${location.street.name}, ${location.city}, ${location.state}, ${location.country}`,
    post_code: location.postcode,
    email: user.email,
    username: user.login.username,
    dob: user.dob.date,
    registered_date: user.registered.date,
    phone: user.phone,
    picture: user.picture.medium,
  };
}

const nonAscii = /[\u0080-\uffff]/g;

/**
 * Python's `json.dumps(record).encode('utf-8')`, the bytes the tutorial puts on the topic: `", "` and `": "`
 * separators and non-ASCII escaped as \uXXXX (ensure_ascii), so sizes and parsing match the real thing.
 */
export function pythonJsonDumps(record: Record<string, unknown>): Buffer {
  const members = Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const text = `{${members.join(', ')}}`.replace(
    nonAscii,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(text, 'utf8');
}

/** Seed-format records `from`..`from + count - 1` of a synthetic stream, with fresh ids. */
export async function tutorialRecords(seed: string, from: number, count: number): Promise<SeedUser[]> {
  const source = await new SyntheticSource({ seed }).ready();
  return Array.from({ length: count }, (_, i) => formatData(source.userAt(from + i)));
}
