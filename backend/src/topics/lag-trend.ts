import type { LagTrend, PartitionLag } from '@userstream/contracts';

interface Sample {
  at: number;
  total: number;
  partitions: Map<string, number>;
}

export interface LagTrendOptions {
  /** Samples kept per group, oldest dropped first. */
  capacity: number;
  /** A sample closer than this to the previous one replaces it, so quick re-reads do not flood the ring. */
  minIntervalMs: number;
  /** Groups tracked; the one sampled longest ago is forgotten first. */
  maxGroups: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** A bounded in-memory history of each group's lag, per partition and in total; nothing is persisted. */
export class LagTrendRing {
  private readonly groups = new Map<string, Sample[]>();

  constructor(
    private readonly options: LagTrendOptions = { capacity: 60, minIntervalMs: 2_000, maxGroups: 500 },
  ) {}

  record(groupId: string, offsets: PartitionLag[], at: number): void {
    const samples = this.groups.get(groupId) ?? [];
    // re-inserted, so the Map's order is least recently sampled first
    this.groups.delete(groupId);
    const sample: Sample = {
      at,
      total: offsets.reduce((sum, entry) => sum + entry.lag, 0),
      partitions: new Map(offsets.map((entry) => [key(entry.topic, entry.partition), entry.lag])),
    };
    const last = samples.at(-1);
    if (last && at - last.at < this.options.minIntervalMs) {
      samples[samples.length - 1] = sample;
    } else {
      samples.push(sample);
    }
    if (samples.length > this.options.capacity) {
      samples.splice(0, samples.length - this.options.capacity);
    }
    this.groups.set(groupId, samples);
    while (this.groups.size > this.options.maxGroups) {
      const oldest = this.groups.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.groups.delete(oldest);
    }
  }

  /** The series of a group, oldest first, for the partitions it has now (`current`). */
  trend(groupId: string, current: PartitionLag[]): LagTrend {
    const samples = this.groups.get(groupId) ?? [];
    return {
      at: samples.map((sample) => sample.at),
      total: samples.map((sample) => sample.total),
      partitions: current.map(({ topic, partition }) => ({
        topic,
        partition,
        lag: samples.map((sample) => sample.partitions.get(key(topic, partition)) ?? null),
      })),
    };
  }

  forget(groupId: string): void {
    this.groups.delete(groupId);
  }
}
