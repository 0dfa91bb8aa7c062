import { Injectable } from '@nestjs/common';
import type { RunParams } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { KafkaProducerService, KafkaAdminRepository } from '#src/kafka/index.js';
import { MetricsService } from '#src/metrics/index.js';
import { RunsRepository } from '#src/run-store/index.js';
import { TracingService } from '#src/tracing/index.js';
import { UsersRepository } from '#src/users/index.js';
import type { UserSource } from '../sources/user-source.js';
import { RunEventsRepository } from './run-events.repository.js';
import { RunExecution, type RunExecutionDeps } from './run-execution.js';

/** If processing makes no progress on a run's records for this long, the run fails. */
const DRAIN_TIMEOUT_MS = 120_000;

/** Starts run executions in this process, with what each needs: the stores, Kafka, metrics and tracing. */
@Injectable()
export class RunExecutionFactory {
  private readonly deps: RunExecutionDeps;

  constructor(
    config: AppConfig,
    runs: RunsRepository,
    events: RunEventsRepository,
    producer: KafkaProducerService,
    kafkaAdmin: KafkaAdminRepository,
    users: UsersRepository,
    metrics: MetricsService,
    tracing: TracingService,
  ) {
    this.deps = {
      runs,
      events,
      metrics,
      tracing,
      producer,
      kafkaAdmin,
      users,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      processorGroupId: config.kafka.processorGroupId,
      rawTopic: config.kafka.topics.rawUsers,
      seedTopic: config.kafka.topics.seedUsers,
    };
  }

  /** Run `runId` starts at once; `origin` says who started it, for its `started` event. */
  start(
    runId: string,
    params: RunParams,
    source: UserSource,
    origin: { reason?: string; firingDueAt?: Date } = {},
  ): RunExecution {
    return new RunExecution(runId, params, source, this.deps, origin);
  }
}
