import { trace } from '@opentelemetry/api';
import { loadConfig } from '#src/config/config.module.js';
import { startTracing, stopTracing } from './tracing.js';
import { TracingService } from './tracing.service.js';

describe('startTracing', () => {
  afterEach(async () => {
    await stopTracing();
  });

  it('registers no provider when OTEL_EXPORTER_OTLP_ENDPOINT is unset: spans are no-ops', async () => {
    const config = loadConfig({});
    expect(config.tracing).toEqual({ endpoint: undefined, serviceName: 'userstream-api' });
    await expect(startTracing(config)).resolves.toBeUndefined();
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    expect(new TracingService(config).enabled).toBe(false);
  });

  it('registers a recording provider when the endpoint is set, and unregisters it on stop', async () => {
    // nothing listens there: no span is ended, so nothing is sent
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/' });
    expect(await startTracing(config)).toBeDefined();
    expect(new TracingService(config).enabled).toBe(true);
    expect(trace.getTracer('test').startSpan('something').isRecording()).toBe(true);
    await stopTracing();
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
  });

  it('names the service by role unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(loadConfig({ APP_ROLE: 'processor' }).tracing.serviceName).toBe('userstream-processor');
    expect(loadConfig({ OTEL_SERVICE_NAME: 'edge-api' }).tracing.serviceName).toBe('edge-api');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
