import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { redactRequestUrl } from './auth/bearer-token.js';
import { requestId } from './common/request-id.js';
import { CassandraModule } from './cassandra/cassandra.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestionModule } from './ingestion/ingestion.module.js';
import { KafkaModule } from './kafka/kafka.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsApiModule, MetricsModule } from './metrics/metrics.module.js';
import { ProcessingModule } from './processing/processing.module.js';
import { TopicsModule } from './topics/topics.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { UsersApiModule } from './users/users.module.js';

const QUIET_PATHS = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/metrics']);

/** Synchronous on purpose: nestjs-pino builds its one root logger on first use, before async options resolve. */
const logging = (config: AppConfig) =>
  LoggerModule.forRoot({
    pinoHttp: {
      level: config.log.level,
      // probes and scrapes poll all day: their lines would drown the rest
      autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
      genReqId: requestId,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.access_token'],
      // the socket.io handshake may carry its token in the URL: never log it
      serializers: { req: redactRequestUrl },
      ...(config.log.pretty
        ? { transport: { target: 'pino-pretty', options: { singleLine: true, colorize: true } } }
        : {}),
    },
  });

@Module({})
export class AppModule {
  /** The API (REST, runs, schedules) and the stream processor, as the role asks. */
  static forRole(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        logging(config),
        DatabaseModule,
        KafkaModule,
        CassandraModule,
        MetricsModule,
        TracingModule,
        ...(config.runsApi ? [HealthModule, IngestionModule, MetricsApiModule] : []),
        ...(config.runsApi ? [TopicsModule] : []),
        ...(config.runsApi ? [LiveModule] : []),
        ...(config.runsApi ? [AuthModule, AuditModule] : []),
        ...(config.runsApi ? [UsersApiModule] : []),
        ...(config.runsApi ? [DeadLettersModule] : []),
        ...(config.runsApi ? [ClusterModule] : []),
        ...(config.runsProcessor ? [ProcessingModule] : []),
      ],
    };
  }
}
