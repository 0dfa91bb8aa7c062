import { PartitionOffsets } from './partition-offsets.js';

describe('PartitionOffsets', () => {
  it('commits only up to the highest contiguous finished offset', () => {
    const offsets = new PartitionOffsets();
    const [a, b, c] = [10n, 11n, 12n].map((offset) => offsets.track(offset)!);
    expect(offsets.toCommit()).toBeNull();
    offsets.finish(c!);
    offsets.finish(b!);
    expect(offsets.toCommit()).toBeNull(); // 10 is still being written
    offsets.finish(a!);
    expect(offsets.toCommit()).toBe(13n);
    expect(offsets.inFlight).toBe(0);
  });

  it('does not commit the same offset twice and moves on with gaps in offsets', () => {
    const offsets = new PartitionOffsets();
    const first = offsets.track(0n)!;
    offsets.finish(first);
    expect(offsets.toCommit()).toBe(1n);
    offsets.markCommitted(1n);
    expect(offsets.toCommit()).toBeNull();
    const later = offsets.track(5n)!; // compacted or transactional gaps
    offsets.finish(later);
    expect(offsets.toCommit()).toBe(6n);
  });

  it('skips a replay of offsets it already holds (a refetch after a rebalance)', () => {
    const offsets = new PartitionOffsets();
    offsets.track(0n);
    offsets.track(1n);
    expect(offsets.track(0n)).toBeUndefined();
    expect(offsets.track(1n)).toBeUndefined();
    expect(offsets.track(2n)).toBeDefined();
    expect(offsets.inFlight).toBe(3);
  });

  it('keeps working across the compaction of its finished prefix', () => {
    const offsets = new PartitionOffsets();
    const records = Array.from({ length: 5_000 }, (_, i) => offsets.track(BigInt(i))!);
    for (const record of records.slice(0, 4_000)) {
      offsets.finish(record);
    }
    expect(offsets.toCommit()).toBe(4_000n);
    for (const record of records.slice(4_001)) {
      offsets.finish(record);
    }
    expect(offsets.toCommit()).toBe(4_000n);
    offsets.finish(records[4_000]!);
    expect(offsets.toCommit()).toBe(5_000n);
    expect(offsets.inFlight).toBe(0);
  });
});
