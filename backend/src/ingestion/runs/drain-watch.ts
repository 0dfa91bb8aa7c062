import { type CommittedOffset, type Watermarks, partitionLag } from '#src/kafka/index.js';

export type DrainState =
  | { state: 'done' }
  | { state: 'draining' }
  | { state: 'stalled'; behind: number; left: number };

/**
 * Whether a consumer group has committed past a run's last records, and whether it is still getting there: the
 * records left must shrink at least once every `stallMs`, however long the whole drain takes. `ends` are the
 * partitions' watermarks once the run's last record was written: its `high` is where the run ends.
 */
export class DrainWatch {
  private left: number | undefined;
  private deadline: number;

  constructor(
    private readonly ends: readonly Watermarks[],
    private readonly stallMs: number,
    now = Date.now(),
  ) {
    this.deadline = now + stallMs;
  }

  observe(committed: readonly Pick<CommittedOffset, 'partition' | 'offset'>[], now = Date.now()): DrainState {
    let behind = 0;
    let left = 0;
    for (const { partition, low, high } of this.ends) {
      const done = committed.find((entry) => entry.partition === partition)?.offset ?? null;
      if (done !== null && done >= high) {
        continue;
      }
      behind++;
      left += partitionLag(done, low, high);
    }
    if (behind === 0) {
      return { state: 'done' };
    }
    // the first look only sets the mark: the stall time counts from the start
    if (this.left === undefined) {
      this.left = left;
    } else if (left < this.left) {
      this.left = left;
      this.deadline = now + this.stallMs;
    }
    return now > this.deadline ? { state: 'stalled', behind, left } : { state: 'draining' };
  }
}
