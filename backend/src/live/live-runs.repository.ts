import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
import { IngestionRunEntity } from '../ingestion/runs/ingestion-run.entity.js';
import { ACTIVE_RUN_STATES } from '../ingestion/runs/runs.repository.js';

/** What the live stats read of the runs table: the runs that can still move. */
@Injectable()
export class LiveRunsRepository {
  constructor(@InjectRepository(IngestionRunEntity) private readonly runs: Repository<IngestionRunEntity>) {}

  /** Active runs, and the runs that ended after `since` (their final state and counters). */
  findActiveOrEndedSince(since: Date, limit = 500): Promise<IngestionRunEntity[]> {
    return this.runs.find({
      where: [{ state: In(ACTIVE_RUN_STATES) }, { finishedAt: MoreThan(since) }],
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }
}
