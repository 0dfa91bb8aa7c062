import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { RunEventKind } from '@userstream/contracts';
import { IngestionRunEventEntity } from './ingestion-run-event.entity.js';

/** The log of each run's events: appended by the run's owner, read a page at a time, oldest first. */
@Injectable()
export class RunEventsRepository {
  constructor(
    @InjectRepository(IngestionRunEventEntity) private readonly events: Repository<IngestionRunEventEntity>,
  ) {}

  /** `at` is the database clock's, like the run's own timestamps. */
  async append(
    runId: string,
    kind: RunEventKind,
    message: string,
    details: Record<string, unknown> | null = null,
  ): Promise<void> {
    await this.events.query(
      `INSERT INTO ingestion_run_events (run_id, kind, message, details) VALUES ($1, $2, $3, $4)`,
      [runId, kind, message, details === null ? null : JSON.stringify(details)],
    );
  }

  findPageByRun(runId: string, page: number, pageSize: number): Promise<[IngestionRunEventEntity[], number]> {
    return this.events.findAndCount({
      where: { runId },
      order: { id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }
}
