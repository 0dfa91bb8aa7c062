import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/index.js';
import { AuthModule } from '#src/auth/index.js';
import { HistoryModule } from '#src/history/index.js';
import { RunStoreModule } from '#src/run-store/index.js';
import { LiveController } from './live.controller.js';
import { LiveEmitter } from './live.emitter.js';
import { LiveGateway } from './live.gateway.js';
import { LiveStatsService } from './live-stats.service.js';
import { LiveStreamService } from './live-stream.service.js';
import { ProcessedStreamConsumer } from './processed-stream.consumer.js';
import { TopicTailService } from './topic-tail.service.js';

/**
 * The live stream (socket.io `/live`), live tails of any topic on the same namespace, and throughput history
 * (`GET /api/live/history`, kept in PostgreSQL by the history module); API role only.
 */
@Module({
  imports: [RunStoreModule, AuthModule, AuditModule, HistoryModule],
  controllers: [LiveController],
  providers: [
    LiveGateway,
    LiveEmitter,
    LiveStreamService,
    LiveStatsService,
    ProcessedStreamConsumer,
    TopicTailService,
  ],
})
export class LiveModule {}
