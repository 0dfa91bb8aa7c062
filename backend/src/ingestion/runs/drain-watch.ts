import type { TopicOffsets } from '../../kafka/pipeline-topics.repository.js';

export type DrainState =
  | { state: 'done' }
  | { state: 'draining' }
  | { state: 'stalled'; behind: number; left: bigint };

/**
 * Whether a consumer group has committed past a run's last records, and whether it is still getting there: the
 * records left must shrink at least once every `stallMs`, however long the whole drain takes.
 */
export class DrainWatch {
  private left: bigint | undefined;
  private deadline: number;

  constructor(
    private readonly ends: readonly TopicOffsets[],
    private readonly stallMs: number,
    now = Date.now(),
  ) {
    this.deadline = now + stallMs;
  }

  observe(committed: readonly TopicOffsets[], now = Date.now()): DrainState {
    let behind = 0;
    let left = 0n;
    for (const { partition, offset } of this.ends) {
      const end = BigInt(offset);
      const done = BigInt(committed.find((c) => c.partition === partition)?.offset ?? '-1');
      if (done >= end) continue;
      behind++;
      left += end - (done < 0n ? 0n : done);
    }
    if (behind === 0) return { state: 'done' };
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
