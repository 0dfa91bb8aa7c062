import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
import {
  ACTIVE_RUN_STATES,
  FINISHED_RUN_STATES,
  type RunCounters,
  type RunState,
} from '@userstream/contracts';
import { IngestionRunEntity } from './ingestion-run.entity.js';

const MAX_KEPT_ERRORS = 50;
/** Serialises run starts across backends, so the concurrent-run cap holds. */
const RUN_START_LOCK = 'userstream.runs.start';

/**
 * The runs table: written by the backend that runs a run (state, source-side counters, heartbeat) and by the
 * processors (their counters), read by the runs API and the live stats.
 */
@Injectable()
export class RunsRepository {
  constructor(@InjectRepository(IngestionRunEntity) private readonly runs: Repository<IngestionRunEntity>) {}

  create(fields: Partial<IngestionRunEntity>): Promise<IngestionRunEntity> {
    return this.runs.save(this.runs.create(fields));
  }

  findById(id: string): Promise<IngestionRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  /** Active runs, and the runs that ended after `since` (their final state and counters). */
  findActiveOrEndedSince(since: Date, limit = 500): Promise<IngestionRunEntity[]> {
    return this.runs.find({
      where: [{ state: In(ACTIVE_RUN_STATES) }, { finishedAt: MoreThan(since) }],
      order: { createdAt: 'DESC' },
      take: limit,
    });
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

  /**
   * Inserts a running run unless `cap` runs are active already, atomically across every backend on this
   * database: the count and the insert happen under one transaction-scoped advisory lock. `started_at` and
   * `heartbeat_at` come from the database clock.
   */
  async createWithinCap(
    fields: Pick<IngestionRunEntity, 'source' | 'params' | 'scheduleId' | 'owner'>,
    cap: number,
  ): Promise<{ created: IngestionRunEntity } | { active: number }> {
    return this.runs.manager.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [RUN_START_LOCK]);
      const active = await manager.countBy(IngestionRunEntity, { state: In(ACTIVE_RUN_STATES) });
      if (active >= cap) {
        return { active };
      }
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(IngestionRunEntity)
        .values({ ...fields, state: 'running', startedAt: () => 'now()', heartbeatAt: () => 'now()' })
        .returning('id')
        .execute();
      const [{ id }] = inserted.raw as [{ id: string }];
      return { created: await manager.findOneByOrFail(IngestionRunEntity, { id }) };
    });
  }

  /**
   * Moves a run to a new state only from one of `from`; returns whether it moved. A final state gets its
   * `finished_at` from the database clock.
   */
  async transition(
    id: string,
    from: readonly RunState[],
    to: RunState,
    fields: Partial<Pick<IngestionRunEntity, 'error' | 'stored'>> = {},
  ): Promise<boolean> {
    const result = await this.runs.update(
      { id, state: In([...from]) },
      { state: to, ...fields, ...(FINISHED_RUN_STATES.includes(to) ? { finishedAt: () => 'now()' } : {}) },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Source-side counters and liveness (the database clock), written by the process running the run. Answers
   * the run's state, so the owner learns of a stop asked through another backend; null if the run is gone.
   */
  async heartbeat(id: string, counters: Pick<RunCounters, 'fetched' | 'produced'>): Promise<RunState | null> {
    const [rows] = await this.runs.query<[{ state: RunState }[], number]>(
      `UPDATE ingestion_runs SET fetched = $2, produced = $3, heartbeat_at = now() WHERE id = $1 RETURNING state`,
      [id, counters.fetched, counters.produced],
    );
    return rows[0]?.state ?? null;
  }

  /**
   * The owner records how its run ended, with its last counters, in one statement (so a retry after a lost
   * answer cannot apply half of it twice). False if the run had already ended.
   */
  async finish(
    id: string,
    end: {
      state: RunState;
      counters: Pick<RunCounters, 'fetched' | 'produced'>;
      error?: string;
      stored?: number;
      /** Also appends `error` to the run's error list. */
      logError?: boolean;
    },
  ): Promise<boolean> {
    const [rows] = await this.runs.query<[{ id: string }[], number]>(
      `UPDATE ingestion_runs
          SET state = $2, finished_at = now(), heartbeat_at = now(), fetched = $3, produced = $4,
              error = COALESCE($5, error), stored = COALESCE($6, stored),
              -- every processed record was stored or dead-lettered: with the stored count read back from
              -- Cassandra, that sum is exact even when a killed processor never flushed its last increments
              processed = COALESCE($6 + dead_lettered, processed),
              errors = CASE WHEN $7 THEN
                         (CASE WHEN jsonb_array_length(errors) >= $8 THEN errors - 0 ELSE errors END)
                         || jsonb_build_array(jsonb_build_object('at', now(), 'message', $5::text))
                       ELSE errors END
        WHERE id = $1 AND state = ANY($9)
        RETURNING id`,
      [
        id,
        end.state,
        end.counters.fetched,
        end.counters.produced,
        end.error ?? null,
        end.stored ?? null,
        end.logError === true && end.error !== undefined,
        MAX_KEPT_ERRORS,
        ACTIVE_RUN_STATES,
      ],
    );
    return rows.length > 0;
  }

  /** Ends an active run as stopped if its owner stopped heartbeating (database clock); whether it did. */
  async stopAbandoned(id: string, staleAfterMs: number): Promise<boolean> {
    const [rows] = await this.runs.query<[{ id: string }[], number]>(
      `UPDATE ingestion_runs SET state = 'stopped', finished_at = now()
        WHERE id = $1 AND state = ANY($2)
          AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $3))
        RETURNING id`,
      [id, ACTIVE_RUN_STATES, staleAfterMs / 1000],
    );
    return rows.length > 0;
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

  /**
   * Active runs whose owner stopped heartbeating (database clock), or that this owner left behind, become
   * interrupted; those being stopped become stopped, as asked. Each with the state it ended in.
   */
  async interruptAbandoned(
    staleAfterMs: number,
    owner: string | null,
    alive: string[],
  ): Promise<{ id: string; state: 'interrupted' | 'stopped' }[]> {
    // TypeORM answers an UPDATE with [rows, affectedCount]
    const [rows] = await this.runs.query<[{ id: string; state: 'interrupted' | 'stopped' }[], number]>(
      `UPDATE ingestion_runs
          SET state = CASE WHEN state = 'stopping' THEN 'stopped' ELSE 'interrupted' END, finished_at = now(),
              error = CASE WHEN state = 'stopping' THEN error
                           ELSE COALESCE(error, 'the backend running this run stopped before it finished') END
        WHERE state = ANY($1)
          AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2) OR owner = $3)
          AND NOT (id = ANY($4::uuid[]))
        RETURNING id, state`,
      [ACTIVE_RUN_STATES, staleAfterMs / 1000, owner, alive],
    );
    return rows;
  }
}
