/**
 * Collects the items of one batch interval, keeping at most `capacity` of them as a uniform random
 * sample (reservoir sampling, algorithm R) in arrival order, and counting all of them. Memory stays
 * bounded however many items arrive.
 */
export class BatchSampler<T> {
  private kept: { seq: number; item: T }[] = [];
  private seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly random: () => number = Math.random,
  ) {}

  get total(): number {
    return this.seen;
  }

  offer(item: T): void {
    const seq = this.seen++;
    if (this.kept.length < this.capacity) {
      this.kept.push({ seq, item });
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) {
      this.kept[slot] = { seq, item };
    }
  }

  /** The sample in arrival order and how many items were offered; starts a new interval. */
  drain(): { items: T[]; total: number } {
    const kept = this.kept.sort((a, b) => a.seq - b.seq).map(({ item }) => item);
    const total = this.seen;
    this.kept = [];
    this.seen = 0;
    return { items: kept, total };
  }
}

/** N in "1 in N" for `kept` of `total` items (1: none left out). */
export function samplingRatio(kept: number, total: number): number {
  if (kept >= total) {
    return 1;
  }
  if (kept === 0) {
    return Math.max(1, total);
  }
  return Math.max(2, Math.round(total / kept));
}
