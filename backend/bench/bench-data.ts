/**
 * Benchmark data shaped exactly as the product shapes it: raw records as RunExecution produces them
 * (key = user id, JSON value, run/source/ingest-time headers) and rows as the processor stores them.
 */
import type { Message } from 'kafkajs';
import { type RawUser, RawUserHeaders } from '@userstream/contracts';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { transformUser } from '#src/processing/user-transform.js';
import type { UserRow } from '#src/users/user-row.js';
import { deriveUserId } from '#src/users/user-identity.js';

/** Raw records `from`..`from + count - 1` of a seed's synthetic stream, values serialised up front. */
export async function rawMessages(
  seed: string,
  from: number,
  count: number,
  runId: string,
): Promise<Message[]> {
  const source = await new SyntheticSource({ seed }).ready();
  const headers = {
    [RawUserHeaders.runId]: runId,
    [RawUserHeaders.source]: source.kind,
    [RawUserHeaders.ingestedAt]: new Date().toISOString(),
  };
  return Array.from({ length: count }, (_, i) => {
    const user = source.userAt(from + i);
    return {
      key: deriveUserId(user as unknown as RawUser),
      value: Buffer.from(JSON.stringify(user)),
      headers,
    };
  });
}

/** Bytes a record puts on the wire as payload: key, value, header names and values. */
export function recordBytes(message: Message): number {
  const size = (value: unknown) =>
    typeof value === 'string' ? Buffer.byteLength(value) : Buffer.isBuffer(value) ? value.length : 0;
  let bytes = size(message.key) + size(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + size(value);
  }
  return bytes;
}

/** Rows of synthetic users through the processor's own transform. */
export async function userRows(seed: string, count: number, runId: string): Promise<UserRow[]> {
  const source = await new SyntheticSource({ seed }).ready();
  const now = new Date();
  const meta = { source: source.kind, runId, ingestedAt: now };
  return Array.from({ length: count }, (_, i) => {
    const result = transformUser(source.userAt(i), meta, now);
    if (!result.ok) {
      throw new Error(`synthetic user ${i} does not transform: ${result.reason}`);
    }
    return result.user;
  });
}
