import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** The process's registry and instruments, for every feature that counts something (API and processor). */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}

/** GET /metrics on the API's HTTP server (the processor serves its own on PROCESSOR_HTTP_PORT). */
@Module({
  controllers: [MetricsController],
})
export class MetricsApiModule {}
