import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { IngestionRunEntity } from './runs/ingestion-run.entity.js';
import { RunsController } from './runs/runs.controller.js';
import { RunsRepository } from './runs/runs.repository.js';
import { RunsService } from './runs/runs.service.js';
import { IngestionScheduleEntity } from './schedules/ingestion-schedule.entity.js';
import { SchedulesController } from './schedules/schedules.controller.js';
import { SchedulesRepository } from './schedules/schedules.repository.js';
import { SchedulesService } from './schedules/schedules.service.js';
import { SourceFactory } from './sources/source.factory.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([IngestionRunEntity, IngestionScheduleEntity]),
    ScheduleModule.forRoot(),
    UsersModule,
  ],
  controllers: [RunsController, SchedulesController],
  providers: [RunsRepository, RunsService, SchedulesRepository, SchedulesService, SourceFactory],
  exports: [RunsService],
})
export class IngestionModule {}

/** What processors need from ingestion: the run counters table, without controllers or schedulers. */
@Module({
  imports: [TypeOrmModule.forFeature([IngestionRunEntity])],
  providers: [RunsRepository],
  exports: [RunsRepository],
})
export class RunCountersModule {}
