import { Module } from '@nestjs/common';
import { RunStoreModule } from '../run-store/run-store.module.js';
import { SeedModule } from '../seed/seed.module.js';
import { UsersModule } from '../users/users.module.js';
import { ProcessingController } from './processing.controller.js';
import { ProcessingService } from './processing.service.js';
import { ProcessorHttpServer } from './processor-http.server.js';
import { ProcessorStatus } from './processor-status.js';
import { RunCountersBuffer } from './run-counters.buffer.js';
import { UsersStream } from './users.stream.js';

@Module({
  imports: [UsersModule, RunStoreModule, SeedModule],
  controllers: [ProcessingController],
  providers: [ProcessingService, RunCountersBuffer, UsersStream, ProcessorStatus, ProcessorHttpServer],
  exports: [ProcessorStatus],
})
export class ProcessingModule {}
