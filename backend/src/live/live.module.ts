import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { IngestionRunEntity } from '../ingestion/runs/ingestion-run.entity.js';
import { LiveController } from './live.controller.js';
import { LiveGateway } from './live.gateway.js';
import { LiveRunsRepository } from './live-runs.repository.js';
import { LiveStatsService } from './live-stats.service.js';
import { LiveStreamService } from './live-stream.service.js';
import { ProcessedStreamConsumer } from './processed-stream.consumer.js';

/** The live stream (socket.io `/live`) and throughput history (`GET /api/live/history`); API role only. */
@Module({
  imports: [TypeOrmModule.forFeature([IngestionRunEntity]), AuthModule],
  controllers: [LiveController],
  providers: [LiveGateway, LiveStreamService, LiveStatsService, LiveRunsRepository, ProcessedStreamConsumer],
})
export class LiveModule {}
