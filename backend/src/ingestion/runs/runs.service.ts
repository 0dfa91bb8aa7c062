import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ACTIVE_RUN_STATES,
  type Run,
  type RunCurve,
  type RunEventList,
  type RunList,
  type RunParams,
  type RunState,
} from '@userstream/contracts';
import { sleep, waitFor } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { HistoryService } from '#src/history/index.js';
import { type IngestionRunEntity, toRun, RunsRepository } from '#src/run-store/index.js';
import { SourceFactory } from '../sources/source.factory.js';
import { SourceError, type UserSource } from '../sources/user-source.js';
import type { IngestionRunEventEntity } from './ingestion-run-event.entity.js';
import { RunEventsRepository } from './run-events.repository.js';
import type { RunExecution } from './run-execution.js';
import { RunExecutionFactory } from './run-execution.factory.js';

/** A run whose owner has not written a heartbeat for this long (database clock) is considered dead. */
const STALE_AFTER_MS = 15_000;
/**
 * How long a stop waits for the run to record its end. The owner (maybe another backend, which learns of the
 * stop from its next heartbeat, within a second) stops producing at once and records `stopped` once its sends
 * in flight are acknowledged.
 */
const STOP_WAIT_MS = 20_000;
const STOP_POLL_MS = 200;
/** How long shutdown waits for runs to record their end before marking them interrupted itself. */
const SHUTDOWN_GRACE_MS = 10_000;
const REAPER_INTERVAL_MS = 5_000;
/** randomuser.me allows about 20,000 users per 5 minutes per client (~67/s). */
const RANDOMUSER_ME_MAX_RATE = 60;

/** Who starts a run: by hand (the default), a schedule's firing or "run now", or a re-run of another run. */
export interface RunOrigin {
  scheduleId?: string | null;
  /** For the run's `started` event. */
  reason?: string;
  /** The schedule's firing that started the run, for its `started` event. */
  firingDueAt?: Date;
}

export function toRunEvent(entity: IngestionRunEventEntity): RunEventList['items'][number] {
  return {
    id: Number(entity.id),
    runId: entity.runId,
    at: entity.at.toISOString(),
    kind: entity.kind,
    message: entity.message,
    details: entity.details,
  };
}

@Injectable()
export class RunsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunsService.name);
  private readonly executions = new Map<string, RunExecution>();
  /** Stable across restarts of the same process slot, so a restarted backend recognises its orphans. */
  private readonly owner: string;
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly runs: RunsRepository,
    private readonly events: RunEventsRepository,
    private readonly sources: SourceFactory,
    private readonly history: HistoryService,
    private readonly execution: RunExecutionFactory,
  ) {
    this.owner = `${hostname()}:${config.http.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reap(true);
    this.reaper = setInterval(() => void this.reap(false), REAPER_INTERVAL_MS);
    this.reaper.unref();
  }

  /**
   * On shutdown the runs of this process end as interrupted (they can be started again), once their sends in
   * flight are acknowledged, so the produced count they record is exact.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.reaper);
    const running = [...this.executions.values()];
    for (const execution of running) {
      execution.interrupt('the backend shut down during the run');
    }
    await Promise.race([Promise.all(running.map((execution) => execution.done)), sleep(SHUTDOWN_GRACE_MS)]);
    // whatever did not end by itself in time
    await Promise.all(
      running.map((execution) =>
        this.runs
          .transition(execution.runId, ACTIVE_RUN_STATES, 'interrupted', {
            error: 'the backend shut down during the run',
          })
          .catch(() => false),
      ),
    );
  }

  /**
   * A run writes to its format's topic or to one of the caller's, never to what only the processors write (the
   * processed and dead-letter topics): records there would reach the search index and the dead-letter workflow
   * as if processed.
   */
  assertWritableTopic(params: Pick<RunParams, 'topic'>): void {
    if (params.topic === undefined || !this.config.processorOutputTopics.includes(params.topic)) {
      return;
    }
    throw new BadRequestException({
      code: 'PIPELINE_TOPIC',
      message: `${params.topic} is written by the processors only; a run writes to the raw or seed topic, or to a topic of its own`,
      details: [{ field: 'topic', message: 'not a topic the processors write' }],
    });
  }

  async start(input: RunParams, origin: RunOrigin = {}): Promise<Run> {
    const scheduleId = origin.scheduleId ?? null;
    this.assertWritableTopic(input);
    if (
      input.source === 'randomuser' &&
      new URL(this.config.ingestion.randomUserBaseUrl).hostname === 'randomuser.me' &&
      input.ratePerSecond > RANDOMUSER_ME_MAX_RATE
    ) {
      throw new UnprocessableEntityException({
        code: 'RATE_TOO_HIGH_FOR_SOURCE',
        message:
          `randomuser.me allows about 20,000 users per 5 minutes (~67 users/s); ask for at most ` +
          `${RANDOMUSER_ME_MAX_RATE} users/s, or use the synthetic source for higher rates`,
      });
    }
    // a seed is always recorded, so a synthetic run can be repeated exactly
    const params: RunParams =
      input.source === 'synthetic' && !input.seed
        ? { ...input, seed: randomBytes(6).toString('hex') }
        : input;
    // the source exists before the run row (bad options are a 400), so retries find the id here
    const created: { id?: string; execution?: RunExecution } = {};
    const source = this.createSource(params, (reason) => {
      created.execution?.log.record('retry', reason);
      if (created.id) {
        void this.runs.appendError(created.id, reason).catch(() => undefined);
      }
    });
    const cap = this.config.ingestion.maxConcurrentRuns;
    const result = await this.runs.createWithinCap(
      { source: params.source, params, scheduleId, owner: this.owner },
      cap,
    );
    if (!('created' in result)) {
      throw new ConflictException({
        code: 'TOO_MANY_RUNS',
        message: `${result.active} runs are active; at most ${cap} may run at once`,
      });
    }
    const entity = result.created;
    created.id = entity.id;
    const execution = this.execution.start(entity.id, params, source, origin);
    created.execution = execution;
    this.executions.set(entity.id, execution);
    void execution.done.finally(() => this.executions.delete(entity.id));
    return toRun(entity);
  }

  /**
   * Stops a run whichever backend runs it. Its owner stops producing and records `stopped`; this waits (at
   * most STOP_WAIT_MS) for that end and answers with it, or with the run still `stopping`. A run whose owner
   * is dead (no heartbeat for STALE_AFTER_MS) is ended here.
   */
  async stop(id: string): Promise<Run> {
    const execution = this.executions.get(id);
    if (execution) {
      // the producer stops first: a slow database must not let the run go on producing meanwhile
      execution.stop();
      // a no-op if the run has already recorded its end
      await this.runs.transition(id, ['pending', 'running'], 'stopping');
      await Promise.race([execution.done, sleep(STOP_WAIT_MS)]);
      return toRun(await this.get(id));
    }
    const entity = await this.get(id);
    if (!ACTIVE_RUN_STATES.includes(entity.state as RunState)) {
      throw new ConflictException({
        code: 'RUN_FINISHED',
        message: `run ${id} already ended (${entity.state})`,
      });
    }
    // another backend runs it: it reads `stopping` with its next heartbeat
    await this.runs.transition(id, ['pending', 'running'], 'stopping');
    let current = entity;
    await waitFor(
      async () => {
        if (await this.runs.stopAbandoned(id, STALE_AFTER_MS)) {
          this.logger.warn(`run ${id} stopped here: its backend stopped heartbeating`);
          await this.events
            .append(id, 'stopped', 'stopped by another backend: the one running it stopped heartbeating')
            .catch(() => undefined);
        }
        current = await this.get(id);
        return !ACTIVE_RUN_STATES.includes(current.state as RunState);
      },
      { everyMs: STOP_POLL_MS, timeoutMs: STOP_WAIT_MS },
    );
    return toRun(current);
  }

  /** A new run with the parameters of run `id`: a synthetic run's recorded seed makes it repeat exactly. */
  async rerun(id: string): Promise<Run> {
    const original = await this.get(id);
    return this.start(original.params, { reason: `started as a re-run of run ${id}` });
  }

  /** Run `id`'s event log, oldest first. */
  async listEvents(id: string, page: number, pageSize: number): Promise<RunEventList> {
    await this.get(id);
    const [items, total] = await this.events.findPageByRun(id, page, pageSize);
    return { items: items.map(toRunEvent), total, page, pageSize };
  }

  /** Run `id`'s curve: its counters, rates and backlog over its lifetime (kept in PostgreSQL). */
  async curve(id: string): Promise<RunCurve> {
    const entity = await this.get(id);
    return this.history.runCurve(id, entity.startedAt?.getTime() ?? null);
  }

  async find(id: string): Promise<Run> {
    return toRun(await this.get(id));
  }

  async list(
    page: number,
    pageSize: number,
    filter: { state?: RunState; scheduleId?: string },
  ): Promise<RunList> {
    const [items, total] = await this.runs.findPage(page, pageSize, filter);
    return { items: items.map(toRun), total, page, pageSize };
  }

  /** Waits for a run started by this process to end (tests and the scheduler use it). */
  async settled(id: string): Promise<void> {
    await this.executions.get(id)?.done;
  }

  /** Source options the source refuses (an unknown nationality for the API version...) are a 400. */
  private createSource(params: RunParams, onRetry: (reason: string) => void): UserSource {
    try {
      return this.sources.create(params, onRetry);
    } catch (error) {
      if (!(error instanceof SourceError)) {
        throw error;
      }
      throw new BadRequestException({ code: 'INVALID_SOURCE_OPTIONS', message: error.message });
    }
  }

  private async get(id: string): Promise<IngestionRunEntity> {
    const entity = await this.runs.findById(id);
    if (!entity) {
      throw new NotFoundException({ code: 'RUN_NOT_FOUND', message: `no run with id ${id}` });
    }
    return entity;
  }

  private async reap(atBoot: boolean): Promise<void> {
    try {
      // runs this process executes are alive even if PostgreSQL missed some of their heartbeats
      const alive = [...this.executions.keys()];
      const ended = await this.runs.interruptAbandoned(STALE_AFTER_MS, atBoot ? this.owner : null, alive);
      if (ended.length > 0) {
        this.logger.warn(`ended runs whose backend is gone: ${ended.map(({ id }) => id).join(', ')}`);
      }
      for (const { id, state } of ended) {
        await this.events
          .append(id, state, `${state}: the backend running it stopped heartbeating`)
          .catch(() => undefined);
      }
    } catch (error) {
      this.logger.warn(`could not check for abandoned runs: ${(error as Error).message}`);
    }
  }
}
