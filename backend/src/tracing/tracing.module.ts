import { Global, Module } from '@nestjs/common';
import { TracingService } from './tracing.service.js';

/** Spans for every feature that starts one (API and processor); exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
@Global()
@Module({
  providers: [TracingService],
  exports: [TracingService],
})
export class TracingModule {}
