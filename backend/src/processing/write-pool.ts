/**
 * Rows queued together (one fetched batch). A worker takes rows `start` to `sliceEnd(start)` (one write request,
 * at least one row) and `write(start, end)` stores them, or settles their fate, and never rejects.
 */
export interface WriteGroup {
  readonly size: number;
  sliceEnd(start: number): number;
  write(start: number, end: number): Promise<void>;
}

/**
 * The process-wide bound on concurrent store writes: every partition's rows share it, so Cassandra always has
 * `concurrency` write requests to work on while there is work at all. Up to `concurrency` workers take slices of
 * rows in order from the groups queued; a row costs no promise of its own. The processor pauses partitions while
 * more than `highWater` rows wait and resumes them at `lowWater`.
 */
export class WritePool {
  private running = 0;
  /**
   * FIFO of groups; `head` instead of shift(), which is O(n) on a long queue. A finished group's slot is cleared
   * at once: a group holds its batch's rows and records, which must not outlive their writes.
   */
  private groups: (WriteGroup | undefined)[] = [];
  private head = 0;
  /** The next row of the head group. */
  private nextIndex = 0;
  private waiting = 0;
  private drained: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly highWater: number,
    readonly lowWater = Math.floor(highWater / 4),
  ) {}

  /** Queues every row of `group`; workers start as slots allow. */
  add(group: WriteGroup): void {
    if (group.size === 0) {
      return;
    }
    this.groups.push(group);
    this.waiting += group.size;
    while (this.running < this.concurrency && this.waiting > 0) {
      this.running++;
      void this.work();
    }
  }

  /** Rows waiting for a slot (not counting the ones being written). */
  get queued(): number {
    return this.waiting;
  }

  get active(): number {
    return this.running;
  }

  get overHighWater(): boolean {
    return this.waiting > this.highWater;
  }

  /** Resolves once the queue is at or below the low-water mark. */
  belowLowWater(): Promise<void> {
    if (this.waiting <= this.lowWater) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** One worker: takes the next slice until no row waits. */
  private async work(): Promise<void> {
    for (;;) {
      const group = this.groups[this.head];
      if (!group) {
        break;
      }
      const start = this.nextIndex;
      const end = Math.min(group.size, Math.max(start + 1, group.sliceEnd(start)));
      this.nextIndex = end;
      if (end === group.size) {
        this.nextGroup();
      }
      this.waiting -= end - start;
      if (this.drained.length > 0 && this.waiting <= this.lowWater) {
        const resolvers = this.drained;
        this.drained = [];
        resolvers.forEach((resolve) => resolve());
      }
      try {
        await group.write(start, end);
      } catch {
        // a group settles its rows' fate itself; a throw here must not end the worker and lose its slot
      }
    }
    this.running--;
  }

  private nextGroup(): void {
    this.groups[this.head++] = undefined;
    this.nextIndex = 0;
    if (this.head === this.groups.length) {
      this.groups = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.groups.length) {
      this.groups = this.groups.slice(this.head);
      this.head = 0;
    }
  }
}
