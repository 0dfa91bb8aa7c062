import type { KafkaMessage } from 'kafkajs';
import type { KafkaBatch } from './kafka-batch.server.js';
import type { RecordStream } from './record-stream.js';
import type { WriteGroup } from './write-pool.js';

/** How many rows one write request may carry: at most `rows`, and `bytes` of their records (at least one row). */
export interface Slicing {
  rows: number;
  bytes: number;
}

/**
 * The valid rows of one fetched batch, on their way through the write pool. They settle together: `settled`
 * resolves once every row is stored or dead-lettered and what was stored is published and counted, so a batch
 * costs one promise and one publish instead of one per record. Commits lose nothing by it: a partition's offset
 * could not pass the batch's slowest row anyway.
 */
export class StoreGroup<Row> implements WriteGroup {
  readonly rows: Row[] = [];
  readonly messages: KafkaMessage[] = [];
  readonly settled: Promise<void>;
  /** Dead letters of rows the store refused, awaited before the group settles. */
  readonly deadLetters: Promise<unknown>[] = [];
  private refusedRows: boolean[] | undefined;
  private remaining = 0;
  private failed = false;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;

  constructor(
    readonly batch: KafkaBatch,
    readonly stream: RecordStream<Row>,
    private readonly slicing: Slicing,
    private readonly store: (group: StoreGroup<Row>, start: number, end: number) => Promise<void>,
  ) {
    this.settled = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  get size(): number {
    return this.rows.length;
  }

  /** Rows the store refused (dead-lettered). */
  get deadLettered(): number {
    return this.deadLetters.length;
  }

  push(row: Row, message: KafkaMessage): void {
    this.rows.push(row);
    this.messages.push(message);
    this.remaining++;
  }

  /** Where the slice from `start` ends: the record sizes stand in for the rows' (a tutorial record ~460 B). */
  sliceEnd(start: number): number {
    const last = Math.min(this.rows.length, start + this.slicing.rows);
    let bytes = this.messages[start]!.value?.length ?? 0;
    let end = start + 1;
    while (end < last) {
      bytes += this.messages[end]!.value?.length ?? 0;
      if (bytes > this.slicing.bytes) {
        break;
      }
      end++;
    }
    return end;
  }

  write(start: number, end: number): Promise<void> {
    return this.store(this, start, end);
  }

  /** Row `index` can never be stored; `deadLetter` settles once its dead letter is sent. */
  refuse(index: number, deadLetter: Promise<unknown>): void {
    this.refusedRows ??= new Array<boolean>(this.rows.length).fill(false);
    this.refusedRows[index] = true;
    this.deadLetters.push(deadLetter);
  }

  /** `count` more rows stored or refused; true once none is left, which settles the group. */
  rowsDone(count: number): boolean {
    this.remaining -= count;
    return this.remaining === 0 && !this.failed;
  }

  settle(finished: Promise<void>): void {
    finished.then(this.resolve, this.reject);
  }

  /** A row gave up (the process is stopping): the whole group stays uncommitted. */
  fail(error: unknown): void {
    this.failed = true;
    this.reject(error);
  }

  storedRows(): readonly Row[] {
    const refused = this.refusedRows;
    return refused ? this.rows.filter((_, i) => !refused[i]) : this.rows;
  }

  storedMessages(): readonly KafkaMessage[] {
    const refused = this.refusedRows;
    return refused ? this.messages.filter((_, i) => !refused[i]) : this.messages;
  }
}
