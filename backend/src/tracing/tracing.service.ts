import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AppConfig } from '#src/config/index.js';
import { stopTracing } from './tracing.js';

/** The product's own spans: HTTP requests, ingestion source pages, processor batch stores. */
@Injectable()
export class TracingService implements OnApplicationShutdown {
  /** Off: callers skip the work of describing a span (counting a batch's outcomes). */
  readonly enabled: boolean;

  constructor(config: AppConfig) {
    this.enabled = config.tracing.endpoint !== undefined;
  }

  /** A no-op span unless a provider is registered (`startTracing`). */
  startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span {
    return trace.getTracer('userstream').startSpan(name, { kind, attributes });
  }

  /** Ends a span as failed, with the error as its exception event. */
  fail(span: Span, error: unknown): void {
    const exception = error instanceof Error ? error : new Error(String(error));
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
    span.end();
  }

  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}
