/** A fixed-capacity FIFO: pushing past the capacity overwrites the oldest item. No allocation per push. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    const end = (this.start + this.length) % this.capacity;
    this.items[end] = item;
    if (this.length < this.capacity) {
      this.length += 1;
    } else {
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The item `index` places from the newest (0 = newest). */
  newest(index: number): T | undefined {
    if (index < 0 || index >= this.length) {
      return undefined;
    }
    return this.items[(this.start + this.length - 1 - index) % this.capacity];
  }

  /** Newest first. */
  toArray(): T[] {
    return Array.from({ length: this.length }, (_, index) => this.newest(index) as T);
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.length = 0;
  }
}
