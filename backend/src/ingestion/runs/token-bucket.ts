import { sleep } from '#src/common/index.js';

/**
 * Smooth rate limiting: tokens refill continuously at `ratePerSecond` up to `capacity`, and `take(n)`
 * waits just long enough for n tokens, so a run produces evenly instead of in bursts.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Milliseconds to wait before n tokens are available (0 when they are); takes them. */
  reserve(n: number): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  async take(n: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(n);
    if (wait > 0) {
      await sleep(wait, signal);
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}
