import type { KafkaMessage } from 'kafkajs';
import type { StreamName } from '#src/metrics/index.js';

/** Where a record was read from. */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
}

export type Decoded<Row> = { ok: true; row: Row } | { ok: false; reason: string };

/**
 * What the pipelined processor needs to know about one input topic: how to turn a record into a row, what the
 * store would refuse, and how to write one row. The processor owns everything else (the write pool, retries of
 * transient errors, dead letters, offsets, run counters).
 */
export interface RecordStream<Row> {
  /** Its label in the processor's metrics. */
  readonly name: StreamName;
  /** Decodes and validates one record, or says why it can never be stored. Pure and fast: it runs inline. */
  decode(message: KafkaMessage, position: KafkaPosition, now: Date): Decoded<Row>;
  /** Why the store would refuse this row (a value outside its column's range, an oversized index term), else null. */
  refusal(row: Row): string | null;
  /** One idempotent write; rejects with the driver's error, which the processor sorts into transient or permanent. */
  write(row: Row): Promise<void>;
  /**
   * Several rows in one request (an unlogged batch of the same upserts). Optional: without it every row is a
   * request of its own. Rejects with the driver's error for the whole batch.
   */
  writeBatch?(rows: readonly Row[]): Promise<void>;
  /**
   * After the rows were stored (e.g. publish them downstream); offsets are committed only once this resolved,
   * so what it does is at least once. Optional.
   */
  afterStored?(rows: readonly Row[]): Promise<void>;
}
