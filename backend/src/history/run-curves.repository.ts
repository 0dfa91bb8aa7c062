import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import type { RunCounters } from '@userstream/contracts';
import { RunCurvePointEntity } from './run-curve-point.entity.js';
import { curveSecond } from './run-curve.js';

/** A run's cumulative counters at one moment (epoch ms). */
export interface RunCounterSample {
  runId: string;
  t: number;
  counters: RunCounters;
}

/** Rows per INSERT: 7 parameters each stays far below PostgreSQL's 65,535. */
const CHUNK = 2_000;

interface CurveRow {
  t: Date;
  fetched: string;
  produced: string;
  processed: string;
  stored: string;
  dead_lettered: string;
}

/** Each run's counters sampled every second (`ingestion_run_curve_points`). */
@Injectable()
export class RunCurvesRepository {
  constructor(
    @InjectRepository(RunCurvePointEntity) private readonly points: Repository<RunCurvePointEntity>,
  ) {}

  /** One row per run and second: a second another backend already wrote is left as it is. */
  async insertMany(samples: readonly RunCounterSample[]): Promise<void> {
    for (let i = 0; i < samples.length; i += CHUNK) {
      await this.points
        .createQueryBuilder()
        .insert()
        .values(
          samples.slice(i, i + CHUNK).map(({ runId, t, counters }) => ({
            runId,
            t: new Date(curveSecond(t)),
            ...counters,
          })),
        )
        .orIgnore()
        .execute();
    }
  }

  /** First and last sample time of a run's curve (epoch ms), undefined when none is kept. */
  async span(runId: string): Promise<{ first: number; last: number } | undefined> {
    const [row] = await this.points.query<{ first: Date | null; last: Date | null }[]>(
      'SELECT min(t) AS first, max(t) AS last FROM ingestion_run_curve_points WHERE run_id = $1',
      [runId],
    );
    return row?.first && row.last ? { first: row.first.getTime(), last: row.last.getTime() } : undefined;
  }

  /** The last sample of each `bucketSeconds` bucket of a run's life, oldest first. */
  async findLastPerBucket(runId: string, bucketSeconds: number): Promise<Omit<RunCounterSample, 'runId'>[]> {
    const rows = await this.points.query<CurveRow[]>(
      `SELECT DISTINCT ON (floor(extract(epoch FROM t) / $2)) t, fetched, produced, processed, stored, dead_lettered
         FROM ingestion_run_curve_points
        WHERE run_id = $1
        ORDER BY floor(extract(epoch FROM t) / $2), t DESC`,
      [runId, bucketSeconds],
    );
    return rows.map((row) => ({
      t: row.t.getTime(),
      counters: {
        fetched: Number(row.fetched),
        produced: Number(row.produced),
        processed: Number(row.processed),
        stored: Number(row.stored),
        deadLettered: Number(row.dead_lettered),
      },
    }));
  }

  /** Returns how many points were deleted. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.points.delete({ t: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
