import type { Client } from 'cassandra-driver';

export interface BatchedWrites {
  /** Statements per unlogged batch (Cassandra warns above 10 partitions or 5 KiB in one). */
  rowsPerBatch: number;
  /** Batches in flight at once. */
  concurrency: number;
  executionProfile?: string;
}

/** One request carrying one prepared statement per parameter list. */
async function batchOf(
  client: Client,
  query: string,
  rows: readonly unknown[][],
  options: { logged?: boolean; counter?: boolean; executionProfile?: string | undefined },
): Promise<void> {
  await client.batch(
    rows.map((params) => ({ query, params })),
    { prepare: true, ...options },
  );
}

/**
 * One request for several rows: an unlogged batch of one prepared statement, a parameter list per row. Each row
 * stays the write of its own partition (no atomicity across them), so a failed batch may be run again as a whole.
 */
export function unloggedBatch(
  client: Client,
  query: string,
  rows: readonly unknown[][],
  executionProfile?: string,
): Promise<void> {
  return batchOf(client, query, rows, { logged: false, executionProfile });
}

/**
 * Counter updates of one prepared statement in one request. Updates of one partition are applied as one mutation.
 * A counter update is not idempotent: a failed batch may have been applied, so it is never run again.
 */
export function counterBatch(
  client: Client,
  query: string,
  rows: readonly unknown[][],
  executionProfile?: string,
): Promise<void> {
  return batchOf(client, query, rows, { counter: true, executionProfile });
}

/**
 * Runs one prepared statement for every parameter list, as unlogged batches of `rowsPerBatch`: a request carries
 * several rows, which costs Cassandra and the driver far less than a request per row. Rejects with the first
 * error; batches not yet started are then not sent.
 */
export async function writeInBatches(
  client: Client,
  query: string,
  rows: readonly unknown[][],
  { rowsPerBatch, concurrency, executionProfile }: BatchedWrites,
): Promise<void> {
  const size = Math.max(1, rowsPerBatch);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < rows.length) {
      const start = next;
      next += size;
      try {
        await unloggedBatch(client, query, rows.slice(start, start + size), executionProfile);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.min(Math.max(1, concurrency), Math.ceil(rows.length / size));
  await Promise.all(Array.from({ length: workers }, worker));
}
