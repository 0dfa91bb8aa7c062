/**
 * One token bucket per client, in memory: `perMinute` requests at once, then one more every
 * 60 s / perMinute. Per process: behind N API replicas a client gets N budgets, which is fine for a
 * safety limit (a shared store would be needed for a quota).
 */
export class RateLimiter {
  /** Kept in least-recently-used order (a Map iterates in insertion order). */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly maxClients = 100_000,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Counts one request of `client`: 0 when allowed, else the milliseconds until one would be. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.buckets.get(client);
    const tokens = bucket
      ? Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs)
      : this.perMinute;
    this.buckets.delete(client);
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at: now });
      return Math.ceil((1 - tokens) / this.perMs);
    }
    this.buckets.set(client, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxClients) {
      // the least recently seen client; a bucket forgotten is a full one, so this only ever forgives
      const oldest = this.buckets.keys().next();
      if (!oldest.done) {
        this.buckets.delete(oldest.value);
      }
    }
    return 0;
  }
}
