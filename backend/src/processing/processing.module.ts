import { Module } from '@nestjs/common';
import { RunStoreModule } from '#src/run-store/index.js';
import { SeedModule } from '#src/seed/index.js';
import { UsersModule } from '#src/users/index.js';
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
