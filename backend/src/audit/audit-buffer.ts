export interface AuditBufferOptions {
  /** Entries queued while the store is slow or down beyond which the buffer says it is `full`. */
  capacity: number;
  /** Entries written per flush. */
  batchSize: number;
  intervalMs: number;
  onError: (error: Error) => void;
}

/**
 * A queue in front of a slow store that never drops an entry: `push` never waits and never throws; a timer
 * writes batches one at a time; a failed batch goes back to the front and is retried on the next tick. Past
 * `capacity` it is `full`: its owner stops taking the work that would add entries (backpressure), so the
 * queue grows at most by the requests already under way.
 */
export class AuditBuffer<T> {
  private queue: T[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** After a failed write, only the timer retries: a down store is not hammered by every push. */
  private retryAfter = 0;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly options: AuditBufferOptions,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.queue.length >= this.options.capacity;
  }

  push(entry: T): void {
    this.queue.push(entry);
    if (this.queue.length >= this.options.batchSize && Date.now() >= this.retryAfter) {
      void this.flush();
    }
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.intervalMs);
    // a pending audit write is no reason to keep the process alive
    this.timer.unref();
  }

  /** Stops the timer and writes what is left, once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes everything queued now (single flight: a call during a flush waits for it, then goes on). */
  async flush(): Promise<void> {
    while (this.flushing) {
      await this.flushing;
    }
    this.flushing = this.drain().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.batchSize);
      try {
        await this.write(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        this.retryAfter = Date.now() + this.options.intervalMs;
        this.options.onError(error as Error);
        return;
      }
    }
  }
}
