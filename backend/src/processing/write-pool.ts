/**
 * The process-wide bound on concurrent store writes: every partition's rows share it, so Cassandra always has
 * `concurrency` writes to work on while there is work at all. Rows beyond that wait in a queue; the processor
 * pauses partitions while the queue is longer than `highWater` and resumes them below `lowWater`.
 */
export class WritePool {
  private running = 0;
  /** FIFO of waiters; `head` instead of shift(), which is O(n) on a long queue. */
  private waiting: (() => void)[] = [];
  private head = 0;
  private drained: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly highWater: number,
    readonly lowWater = Math.floor(highWater / 4),
  ) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Rows waiting for a slot (not counting the ones being written). */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  get active(): number {
    return this.running;
  }

  get overHighWater(): boolean {
    return this.queued > this.highWater;
  }

  /** Resolves once the queue is at or below the low-water mark. */
  belowLowWater(): Promise<void> {
    if (this.queued <= this.lowWater) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private release(): void {
    const next = this.head < this.waiting.length ? this.waiting[this.head++] : undefined;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    // the slot passes straight to the next waiter
    if (next) {
      next();
    } else {
      this.running--;
    }
    if (this.drained.length > 0 && this.queued <= this.lowWater) {
      const resolvers = this.drained;
      this.drained = [];
      for (const resolve of resolvers) {
        resolve();
      }
    }
  }
}
