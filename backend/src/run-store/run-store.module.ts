import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestionRunEntity } from './ingestion-run.entity.js';
import { RunsRepository } from './runs.repository.js';

/**
 * The runs table, where the producer side and the consumer side of the pipeline meet: ingestion runs runs and
 * writes their state and source-side counters, processors add theirs, the live stats read them. None of these
 * features imports another's module for it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([IngestionRunEntity])],
  providers: [RunsRepository],
  exports: [RunsRepository],
})
export class RunStoreModule {}
