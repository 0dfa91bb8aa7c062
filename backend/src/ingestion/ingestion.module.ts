import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '#src/history/index.js';
import { RunStoreModule } from '#src/run-store/index.js';
import { UsersModule } from '#src/users/index.js';
import { IngestionRunEventEntity } from './runs/ingestion-run-event.entity.js';
import { RunEventsRepository } from './runs/run-events.repository.js';
import { RunExecutionFactory } from './runs/run-execution.factory.js';
import { RunsController } from './runs/runs.controller.js';
import { RunsService } from './runs/runs.service.js';
import { IngestionScheduleEntity } from './schedules/ingestion-schedule.entity.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { ScheduleChangesRepository } from './schedules/schedule-changes.repository.js';
import { SchedulesRepository } from './schedules/schedules.repository.js';
import { SchedulesService } from './schedules/schedules.service.js';
import { SourceFactory } from './sources/source.factory.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([IngestionRunEventEntity, IngestionScheduleEntity]),
    RunStoreModule,
    UsersModule,
    HistoryModule,
  ],
  controllers: [RunsController, SchedulesController],
  providers: [
    RunEventsRepository,
    RunExecutionFactory,
    RunsService,
    SchedulesRepository,
    ScheduleChangesRepository,
    SchedulesService,
    SourceFactory,
  ],
  exports: [RunsService],
})
export class IngestionModule {}
