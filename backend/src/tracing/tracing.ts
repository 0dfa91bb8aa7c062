import { trace } from '@opentelemetry/api';
import type { AppConfig } from '#src/config/index.js';

interface TracerProvider {
  shutdown(): Promise<void>;
}

/** The SDK provider of this process, while tracing is on. */
let active: TracerProvider | undefined;

/**
 * Registers an OTLP/HTTP trace exporter as the global tracer provider when OTEL_EXPORTER_OTLP_ENDPOINT is set;
 * otherwise loads nothing, and the spans the app starts are the API's no-ops. The SDK is imported only here so
 * a process without tracing never loads it. Other OTEL_* variables (headers, timeouts, batch sizes, resource
 * attributes) are read by the SDK itself.
 */
export async function startTracing(config: AppConfig): Promise<TracerProvider | undefined> {
  const { endpoint, serviceName } = config.tracing;
  if (endpoint === undefined || active) {
    return active;
  }
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources, semconv] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
    ]);
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    .merge(resources.resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: serviceName }));
  // the endpoint is the collector's base URL, as the OTLP spec defines the variable: the signal path is ours to add
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  active = provider;
  return provider;
}

/** Sends the spans still buffered and unregisters the provider (on app shutdown). */
export async function stopTracing(): Promise<void> {
  const provider = active;
  if (!provider) {
    return;
  }
  active = undefined;
  await provider.shutdown();
  trace.disable();
}
