import type { Client } from 'cassandra-driver';
import { writeInBatches } from './batched-writes.js';

interface Sent {
  statements: { query: string; params: unknown[] }[];
  options: Record<string, unknown>;
}

/** A driver client that records its batches and answers each one when told. */
function recordingClient(fail?: (sent: Sent) => boolean) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    batch: async (statements: Sent['statements'], options: Sent['options']) => {
      const batch = { statements, options };
      sent.push(batch);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (fail?.(batch)) {
        throw new Error('refused');
      }
    },
  } as unknown as Client;
  return { client, sent, maxInFlight: () => maxInFlight };
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => [i]);

describe('writeInBatches', () => {
  it('sends every row once, in unlogged prepared batches of at most rowsPerBatch', async () => {
    const { client, sent, maxInFlight } = recordingClient();
    await writeInBatches(client, 'INSERT q', rows(23), {
      rowsPerBatch: 5,
      concurrency: 2,
      executionProfile: 'w',
    });
    expect(sent.map((batch) => batch.statements.length)).toEqual([5, 5, 5, 5, 3]);
    expect(
      sent.flatMap((batch) => batch.statements.map((s) => s.params[0])).sort((a, b) => Number(a) - Number(b)),
    ).toEqual(rows(23).map(([i]) => i));
    expect(sent.every((batch) => batch.statements.every((s) => s.query === 'INSERT q'))).toBe(true);
    expect(sent[0]!.options).toEqual({ prepare: true, logged: false, executionProfile: 'w' });
    expect(maxInFlight()).toBe(2);
  });

  it('sends nothing for no rows', async () => {
    const { client, sent } = recordingClient();
    await writeInBatches(client, 'INSERT q', [], { rowsPerBatch: 5, concurrency: 4 });
    expect(sent).toHaveLength(0);
  });

  it('rejects with the first error and starts no batch after it', async () => {
    const { client, sent } = recordingClient((batch) => batch.statements[0]!.params[0] === 0);
    await expect(
      writeInBatches(client, 'INSERT q', rows(40), { rowsPerBatch: 2, concurrency: 1 }),
    ).rejects.toThrow('refused');
    expect(sent).toHaveLength(1);
  });
});
