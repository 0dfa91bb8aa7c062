import type { INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication, NestExpressBodyParserOptions } from '@nestjs/platform-express';
import { KafkaTopics } from '@userstream/contracts';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { refuseDeepJson } from './common/json-depth.js';
import { requestGuard } from './common/request-guard.js';
import { useSecurityHeaders } from './common/security.js';
import { createKafka } from './kafka/kafka.client.js';
import { LiveIoAdapter } from './live/live-io.adapter.js';
import { MetricsService } from './metrics/metrics.service.js';
import { KafkaBatchServer } from './processing/kafka-batch.server.js';
import { ProcessorStatus } from './processing/processor-status.js';
import { RunCountersBuffer } from './processing/run-counters.buffer.js';
import { httpTracing } from './tracing/http-tracing.middleware.js';
import { TracingService } from './tracing/tracing.service.js';

/** Routes served outside the `api` prefix: Prometheus scrapes /metrics by default. */
export const UNPREFIXED_ROUTES = ['metrics'];

function processorTransport(config: AppConfig): KafkaBatchServer {
  return new KafkaBatchServer({
    kafka: createKafka(config),
    groupId: config.kafka.processorGroupId,
    topics: {
      [KafkaTopics.rawUsers]: config.kafka.topics.rawUsers,
      [KafkaTopics.seedUsers]: config.kafka.topics.seedUsers,
    },
    partitionsConsumedConcurrently: 3,
  });
}

/** Readiness and the consumer lag gauge read the processor's consumer; its commits save the run counters first. */
function watchProcessor(app: INestApplicationContext, transport: KafkaBatchServer): void {
  const counters = app.get(RunCountersBuffer);
  transport.saveBeforeCommit(() => counters.flush());
  app.get(ProcessorStatus).watchConsumer(transport);
  app.get(MetricsService).watchConsumerLag(() => transport.ownedPartitions());
}

/**
 * The HTTP application (REST, OpenAPI), with the stream processor attached when the role includes it.
 * Callers start the processor with `startAllMicroservices()`.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(config), {
    bufferLogs: true,
    abortOnError: false,
    // JSON only (below): no urlencoded parser, so no web page can post a form into the API
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: UNPREFIXED_ROUTES });
  // req.ip: the client behind a trusted proxy (TRUST_PROXY), which rate limits and the audit log use
  app.set('trust proxy', config.http.trustProxy);
  app.useGlobalFilters(new ApiExceptionFilter());
  // first, so requests the guard below refuses are traced too
  const tracing = app.get(TracingService);
  if (tracing.enabled) {
    app.use(httpTracing(tracing));
  }
  useSecurityHeaders(app, 'api/docs');
  const policy = { allowedHosts: config.http.allowedHosts, corsOrigins: config.http.corsOrigins };
  app.use(requestGuard(policy));
  // Nest types `verify` out (it uses it for rawBody, off here) but hands the options to express.json as they are
  const json: NestExpressBodyParserOptions = { limit: '256kb', verify: refuseDeepJson };
  app.useBodyParser('json', json);
  app.enableCors({ origin: config.http.corsOrigins });
  app.useWebSocketAdapter(
    new LiveIoAdapter(app, policy, {
      trustProxy: config.http.trustProxy,
      handshakesPerMinute: config.rateLimit.handshakesPerMinute,
    }),
  );
  app.enableShutdownHooks();
  if (config.runsProcessor) {
    const transport = processorTransport(config);
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    watchProcessor(app, transport);
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('userstream')
      .setDescription('Control plane of the userstream pipeline: ingestion runs, schedules, health')
      .setVersion('0.1.0')
      // every route but health needs a token unless AUTH_MODE=none: let "Try it out" send one
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** A processor-only process: the consumer group member, and a small HTTP port for probes and metrics. */
export async function createProcessor(config: AppConfig): Promise<INestMicroservice> {
  const transport = processorTransport(config);
  const app = await NestFactory.createMicroservice(AppModule.forRole(config), {
    strategy: transport,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  watchProcessor(app, transport);
  return app;
}
