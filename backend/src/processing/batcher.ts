import { backoff, retry } from '#src/common/index.js';

/**
 * Groups items for one call of `flush` (a Kafka send): up to `maxItems` at once, else whatever arrived within
 * `maxDelayMs`. Each `add` resolves once its items were flushed. A failed flush is retried with backoff while
 * `keepTrying()` holds (at least once: a group may be sent twice), then rejects its items.
 */
export class Batcher<T> {
  private items: T[] = [];
  private settlers: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly options: {
      maxItems: number;
      maxDelayMs: number;
      keepTrying: () => boolean;
      onRetry?: (error: unknown, attempt: number) => void;
      /** Called once when one flush has been waiting for `slowAfterMs` (a send that hangs says nothing else). */
      onSlow?: (items: number, waitedMs: number) => void;
      slowAfterMs?: number;
    },
  ) {}

  /** Queues one item. */
  add(item: T): Promise<void> {
    return this.addAll([item]);
  }

  /** Queues items that settle together: one promise for all of them, over as many groups as they fill. */
  addAll(items: readonly T[]): Promise<void> {
    const { maxItems } = this.options;
    if (items.length === 0) {
      return Promise.resolve();
    }
    if (items.length <= maxItems) {
      return this.addGroup(items);
    }
    const parts: Promise<void>[] = [];
    for (let from = 0; from < items.length; from += maxItems) {
      parts.push(this.addGroup(items.slice(from, from + maxItems)));
    }
    return Promise.all(parts).then(() => undefined);
  }

  /** At most maxItems: sent with what is queued, or first on its own when both would not fit in one group. */
  private addGroup(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.items.length + items.length > this.options.maxItems) {
        this.send();
      }
      this.items.push(...items);
      this.settlers.push({ resolve, reject });
      if (this.items.length >= this.options.maxItems) {
        this.send();
      } else {
        this.timer ??= setTimeout(() => this.send(), this.options.maxDelayMs);
      }
    });
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items;
    const settlers = this.settlers;
    this.items = [];
    this.settlers = [];
    void this.deliver(items).then(
      () => settlers.forEach(({ resolve }) => resolve()),
      (error: unknown) => settlers.forEach(({ reject }) => reject(error)),
    );
  }

  private deliver(items: T[]): Promise<void> {
    const { onSlow, slowAfterMs = 30_000, keepTrying, onRetry } = this.options;
    return retry(
      async () => {
        const slow = onSlow && setTimeout(() => onSlow(items.length, slowAfterMs), slowAfterMs).unref();
        try {
          await this.flush(items);
        } finally {
          clearTimeout(slow);
        }
      },
      {
        delayMs: backoff.exponential(200, 10_000),
        retryable: () => keepTrying(),
        onRetry,
      },
    );
  }
}
