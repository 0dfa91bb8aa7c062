import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThanOrEqual, type Repository } from 'typeorm';
import type { ThroughputPoint } from '@userstream/contracts';
import { ThroughputSampleEntity } from './throughput-sample.entity.js';

/** Rows per INSERT: 11 parameters each stays far below PostgreSQL's 65,535. */
const CHUNK = 1_000;

const toEntity = (point: ThroughputPoint): ThroughputSampleEntity => ({
  t: new Date(Math.floor(point.t / 1000) * 1000),
  fetched: point.rates.fetched,
  produced: point.rates.produced,
  processed: point.rates.processed,
  stored: point.rates.stored,
  deadLettered: point.rates.deadLettered,
  streamRate: point.streamRate,
  lag: point.lag,
  drainSeconds: point.drainSeconds,
  latencyP50Ms: point.latencyMs?.p50 ?? null,
  latencyP99Ms: point.latencyMs?.p99 ?? null,
});

const toPoint = (row: ThroughputSampleEntity): ThroughputPoint => ({
  t: row.t.getTime(),
  rates: {
    fetched: row.fetched,
    produced: row.produced,
    processed: row.processed,
    stored: row.stored,
    deadLettered: row.deadLettered,
  },
  streamRate: row.streamRate,
  lag: row.lag,
  drainSeconds: row.drainSeconds,
  latencyMs:
    row.latencyP50Ms === null || row.latencyP99Ms === null
      ? null
      : { p50: row.latencyP50Ms, p99: row.latencyP99Ms },
});

/** The live stats' per-second samples (`throughput_samples`). */
@Injectable()
export class ThroughputSamplesRepository {
  constructor(
    @InjectRepository(ThroughputSampleEntity) private readonly samples: Repository<ThroughputSampleEntity>,
  ) {}

  /** One row per second: a second another backend already wrote is left as it is (same values). */
  async insertMany(points: readonly ThroughputPoint[]): Promise<void> {
    for (let i = 0; i < points.length; i += CHUNK) {
      await this.samples
        .createQueryBuilder()
        .insert()
        .values(points.slice(i, i + CHUNK).map(toEntity))
        .orIgnore()
        .execute();
    }
  }

  /** Oldest first. */
  async findSince(since: Date): Promise<ThroughputPoint[]> {
    const rows = await this.samples.find({ where: { t: MoreThanOrEqual(since) }, order: { t: 'ASC' } });
    return rows.map(toPoint);
  }

  /** Returns how many samples were deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.samples.delete({ t: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
