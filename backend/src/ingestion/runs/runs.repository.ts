import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { RunCounters, RunState } from '@userstream/contracts';
import { IngestionRunEntity } from './ingestion-run.entity.js';

export const ACTIVE_RUN_STATES: RunState[] = ['pending', 'running', 'stopping'];
const MAX_KEPT_ERRORS = 50;

@Injectable()
export class RunsRepository {
  constructor(@InjectRepository(IngestionRunEntity) private readonly runs: Repository<IngestionRunEntity>) {}

  create(fields: Partial<IngestionRunEntity>): Promise<IngestionRunEntity> {
    return this.runs.save(this.runs.create(fields));
  }

  findById(id: string): Promise<IngestionRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  findPage(
    page: number,
    pageSize: number,
    filter: { state?: RunState; scheduleId?: string },
  ): Promise<[IngestionRunEntity[], number]> {
    return this.runs.findAndCount({
      where: {
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.scheduleId ? { scheduleId: filter.scheduleId } : {}),
      },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  countActive(): Promise<number> {
    return this.runs.countBy({ state: In(ACTIVE_RUN_STATES) });
  }

  /** Moves a run to a new state only from one of `from`; returns whether it moved. */
  async transition(
    id: string,
    from: RunState[],
    to: RunState,
    fields: Partial<Pick<IngestionRunEntity, 'error' | 'finishedAt' | 'stored' | 'startedAt'>> = {},
  ): Promise<boolean> {
    const result = await this.runs.update({ id, state: In(from) }, { state: to, ...fields });
    return (result.affected ?? 0) > 0;
  }

  /** Source-side counters and liveness, written by the process running the run. */
  async heartbeat(id: string, counters: Pick<RunCounters, 'fetched' | 'produced'>): Promise<void> {
    await this.runs.update({ id }, { ...counters, heartbeatAt: new Date() });
  }

  /** Processor-side counters: added, since several processors report for the same run. */
  async incrementCounters(
    id: string,
    delta: Pick<RunCounters, 'processed' | 'stored' | 'deadLettered'>,
  ): Promise<void> {
    await this.runs
      .createQueryBuilder()
      .update()
      .set({
        processed: () => `processed + ${Math.trunc(delta.processed)}`,
        stored: () => `stored + ${Math.trunc(delta.stored)}`,
        deadLettered: () => `dead_lettered + ${Math.trunc(delta.deadLettered)}`,
      })
      .where('id = :id', { id })
      .execute();
  }

  async appendError(id: string, message: string): Promise<void> {
    await this.runs.query(
      `UPDATE ingestion_runs
         SET errors = (CASE WHEN jsonb_array_length(errors) >= $3 THEN errors - 0 ELSE errors END)
                      || jsonb_build_array(jsonb_build_object('at', now(), 'message', $2::text))
       WHERE id = $1`,
      [id, message, MAX_KEPT_ERRORS],
    );
  }

  /** Active runs whose owner stopped heartbeating (or that this owner left behind) become interrupted. */
  async interruptAbandoned(staleAfterMs: number, owner: string | null, alive: string[]): Promise<string[]> {
    // TypeORM answers an UPDATE with [rows, affectedCount]
    const [rows] = await this.runs.query<[{ id: string }[], number]>(
      `UPDATE ingestion_runs
          SET state = 'interrupted', finished_at = now(),
              error = COALESCE(error, 'the backend running this run stopped before it finished')
        WHERE state = ANY($1)
          AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2) OR owner = $3)
          AND NOT (id = ANY($4::uuid[]))
        RETURNING id`,
      [ACTIVE_RUN_STATES, staleAfterMs / 1000, owner, alive],
    );
    return rows.map((row) => row.id);
  }
}
