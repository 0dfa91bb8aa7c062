import {
  BadRequestException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, validateCronExpression } from 'cron';
import type {
  CreateScheduleRequest,
  RunParams,
  Schedule,
  UpdateScheduleRequest,
} from '@userstream/contracts';
import { RunsService } from '../runs/runs.service.js';
import type { IngestionScheduleEntity } from './ingestion-schedule.entity.js';
import { SchedulesRepository } from './schedules.repository.js';

const jobName = (id: string) => `schedule:${id}`;

function assertValidCron(cron: string, timezone: string): void {
  const details: { field: string; message: string }[] = [];
  const check = validateCronExpression(cron);
  if (!check.valid)
    details.push({ field: 'cron', message: check.error?.message ?? 'invalid cron expression' });
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    details.push({ field: 'timezone', message: `unknown time zone "${timezone}"` });
  }
  if (details.length > 0) {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', message: 'Invalid schedule', details });
  }
}

/** Cron schedules of ingestion runs; each firing starts a run linked to its schedule. */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulesService.name);

  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly runs: RunsService,
    private readonly registry: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of await this.schedules.findEnabled()) this.register(schedule);
  }

  onApplicationShutdown(): void {
    for (const name of this.registry.getCronJobs().keys()) {
      if (name.startsWith('schedule:')) this.unregister(name.slice('schedule:'.length));
    }
  }

  async create(input: CreateScheduleRequest): Promise<Schedule> {
    assertValidCron(input.cron, input.timezone);
    this.runs.assertWritableTopic(input.params);
    const entity = await this.schedules.create(input);
    if (entity.enabled) this.register(entity);
    return this.toSchedule(entity);
  }

  async list(): Promise<Schedule[]> {
    return (await this.schedules.findAll()).map((entity) => this.toSchedule(entity));
  }

  async find(id: string): Promise<Schedule> {
    return this.toSchedule(await this.get(id));
  }

  async update(id: string, input: UpdateScheduleRequest): Promise<Schedule> {
    const current = await this.get(id);
    assertValidCron(input.cron ?? current.cron, input.timezone ?? current.timezone);
    if (input.params) this.runs.assertWritableTopic(input.params);
    await this.schedules.update(id, input);
    const updated = await this.get(id);
    this.unregister(id);
    if (updated.enabled) this.register(updated);
    return this.toSchedule(updated);
  }

  async remove(id: string): Promise<void> {
    this.unregister(id);
    if (!(await this.schedules.delete(id))) throw this.notFound(id);
  }

  private register(schedule: IngestionScheduleEntity): void {
    const job = CronJob.from({
      cronTime: schedule.cron,
      timeZone: schedule.timezone,
      onTick: () => this.fire(schedule.id, schedule.params),
      waitForCompletion: true,
      start: true,
    });
    this.registry.addCronJob(jobName(schedule.id), job);
  }

  private unregister(id: string): void {
    if (!this.registry.doesExist('cron', jobName(id))) return;
    this.registry.deleteCronJob(jobName(id));
  }

  private async fire(id: string, params: RunParams): Promise<void> {
    try {
      if (!(await this.schedules.claimFiring(id, new Date()))) return;
      const run = await this.runs.start(params, id);
      await this.schedules.update(id, { lastRunId: run.id });
      this.logger.log(`schedule ${id} started run ${run.id}`);
    } catch (error) {
      this.logger.warn(`schedule ${id} could not start a run: ${(error as Error).message}`);
    }
  }

  private toSchedule(entity: IngestionScheduleEntity): Schedule {
    const name = jobName(entity.id);
    const next = this.registry.doesExist('cron', name)
      ? this.registry.getCronJob(name).nextDate().toJSDate()
      : null;
    return {
      id: entity.id,
      name: entity.name,
      cron: entity.cron,
      timezone: entity.timezone,
      params: entity.params,
      enabled: entity.enabled,
      lastFiredAt: entity.lastFiredAt?.toISOString() ?? null,
      lastRunId: entity.lastRunId,
      nextFireAt: next?.toISOString() ?? null,
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }

  private async get(id: string): Promise<IngestionScheduleEntity> {
    const entity = await this.schedules.findById(id);
    if (!entity) throw this.notFound(id);
    return entity;
  }

  private notFound(id: string): NotFoundException {
    return new NotFoundException({ code: 'SCHEDULE_NOT_FOUND', message: `no schedule with id ${id}` });
  }
}
