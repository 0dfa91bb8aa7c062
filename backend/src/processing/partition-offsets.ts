/** One record handed to the processor; its offset may be committed once it and every earlier one are done. */
export interface TrackedRecord {
  readonly offset: bigint;
  done: boolean;
}

/**
 * Offsets of one partition in flight, in fetch order. Records finish out of order (the write pool stores them
 * concurrently); the committable offset only moves past a record once it and all earlier ones are done, so a
 * commit never skips an unwritten row.
 */
export class PartitionOffsets {
  private queue: TrackedRecord[] = [];
  private head = 0;
  /** Highest offset handed out; a refetch after a rebalance replays offsets at or below it. */
  private highest = -1n;
  /** Next offset to commit (last contiguous done + 1), or null before the first record finished. */
  private next: bigint | null = null;
  /** What was last committed, so the timer commits only what moved. */
  private committed: bigint | null = null;

  /** Starts tracking a fetched record; undefined when it is already tracked (a replay after a rebalance). */
  track(offset: bigint): TrackedRecord | undefined {
    if (offset <= this.highest) {
      return undefined;
    }
    this.highest = offset;
    const record = { offset, done: false };
    this.queue.push(record);
    return record;
  }

  finish(record: TrackedRecord): void {
    record.done = true;
    while (this.head < this.queue.length && this.queue[this.head]!.done) {
      this.next = this.queue[this.head]!.offset + 1n;
      this.head++;
    }
    // drop the finished prefix now and then, so the array does not grow with the partition
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** The oldest record handed out and not finished yet, which holds the commit back. */
  get oldestInFlight(): bigint | null {
    return this.queue[this.head]?.offset ?? null;
  }

  /** Records handed out and not finished yet. */
  get inFlight(): number {
    return this.queue.length - this.head;
  }

  /** The offset to commit now, or null when nothing moved since the last commit. */
  toCommit(): bigint | null {
    return this.next !== null && this.next !== this.committed ? this.next : null;
  }

  markCommitted(offset: bigint): void {
    if (this.committed === null || offset > this.committed) {
      this.committed = offset;
    }
  }

  /** What this process last committed, or null before its first commit. */
  get lastCommitted(): bigint | null {
    return this.committed;
  }

  /** The group's offset was found behind what was committed here: the next commit sends it again. */
  commitAgain(): void {
    this.committed = null;
  }
}
