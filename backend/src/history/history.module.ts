import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryService } from './history.service.js';
import { RunCurvePointEntity } from './run-curve-point.entity.js';
import { RunCurvesRepository } from './run-curves.repository.js';
import { ThroughputSampleEntity } from './throughput-sample.entity.js';
import { ThroughputSamplesRepository } from './throughput-samples.repository.js';

/**
 * Throughput history and run curves in PostgreSQL; API role only. Shared by the live stats (which record) and
 * the runs API (which reads a run's curve): imported by both, it is one instance.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ThroughputSampleEntity, RunCurvePointEntity])],
  providers: [ThroughputSamplesRepository, RunCurvesRepository, HistoryService],
  exports: [HistoryService],
})
export class HistoryModule {}
