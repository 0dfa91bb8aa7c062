import {
  BadRequestException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { validateCronExpression } from 'cron';
import type {
  CreateScheduleRequest,
  Run,
  Schedule,
  ScheduleFirings,
  UpdateScheduleRequest,
} from '@userstream/contracts';
import { RunsService } from '../runs/runs.service.js';
import type { IngestionScheduleEntity } from './ingestion-schedule.entity.js';
import { nextFiring, nextFirings, planFiring } from './next-firing.js';
import { ScheduleChangesRepository } from './schedule-changes.repository.js';
import { SchedulesRepository } from './schedules.repository.js';

/** Besides the notifications, every backend reads all schedules again this often: a safety net. */
const RESYNC_MS = 60_000;
/** setTimeout takes at most ~24.8 days; a later firing is re-armed on the way. */
const MAX_TIMER_MS = 3_600_000;

function assertValidCron(cron: string, timezone: string): void {
  const details: { field: string; message: string }[] = [];
  const check = validateCronExpression(cron);
  if (!check.valid) {
    details.push({ field: 'cron', message: check.error?.message ?? 'invalid cron expression' });
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    details.push({ field: 'timezone', message: `unknown time zone "${timezone}"` });
  }
  if (details.length > 0) {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', message: 'Invalid schedule', details });
  }
}

/**
 * Cron schedules of ingestion runs; each firing starts a run linked to its schedule. Every API backend holds a
 * timer per enabled schedule, armed for the schedule's stored next firing; the first backend to claim a firing
 * in PostgreSQL starts its run, the others only re-arm. Changes made on any backend reach the others at once
 * through LISTEN/NOTIFY (a trigger announces them), and every backend re-reads all schedules when it
 * (re)connects and once a minute.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulesService.name);
  /** The timer of each enabled schedule, with the schedule as last read. */
  private readonly armed = new Map<string, { schedule: IngestionScheduleEntity; timer: NodeJS.Timeout }>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Set at shutdown: a read or claim still under way then must not arm a timer again. */
  private closed = false;

  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly changes: ScheduleChangesRepository,
    private readonly runs: RunsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.resync();
    await this.changes.listen({
      changed: (id) => void this.reload(id),
      connected: () => void this.resync(),
    });
    this.resyncTimer = setInterval(() => void this.resync(), RESYNC_MS);
    this.resyncTimer.unref();
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearInterval(this.resyncTimer);
    for (const id of [...this.armed.keys()]) {
      this.disarm(id);
    }
  }

  async create(input: CreateScheduleRequest): Promise<Schedule> {
    assertValidCron(input.cron, input.timezone);
    this.runs.assertWritableTopic(input.params);
    const entity = await this.schedules.create({
      ...input,
      nextFireAt: input.enabled ? nextFiring(input.cron, input.timezone, new Date()) : null,
    });
    this.arm(entity);
    return toSchedule(entity);
  }

  async list(): Promise<Schedule[]> {
    return (await this.schedules.findAll()).map(toSchedule);
  }

  async find(id: string): Promise<Schedule> {
    return toSchedule(await this.get(id));
  }

  /** "Run now": a run with the schedule's parameters, linked to it, under the same cap and checks as any run. */
  async runNow(id: string): Promise<Run> {
    const schedule = await this.get(id);
    const run = await this.runs.start(schedule.params, {
      scheduleId: id,
      reason: `started by hand from schedule "${schedule.name}"`,
    });
    await this.schedules.update(id, { lastRunId: run.id });
    return run;
  }

  /** The schedule's next `count` firings from now, computed in its time zone (whether enabled or not). */
  async previewFirings(id: string, count: number): Promise<ScheduleFirings> {
    const schedule = await this.get(id);
    return {
      timezone: schedule.timezone,
      firings: nextFirings(schedule.cron, schedule.timezone, new Date(), count).map((firing) =>
        firing.toISOString(),
      ),
    };
  }

  async update(id: string, input: UpdateScheduleRequest): Promise<Schedule> {
    const current = await this.get(id);
    const cron = input.cron ?? current.cron;
    const timezone = input.timezone ?? current.timezone;
    const enabled = input.enabled ?? current.enabled;
    assertValidCron(cron, timezone);
    if (input.params) {
      this.runs.assertWritableTopic(input.params);
    }
    // a new timing (or turning it on) starts from now; a change of name or params keeps the next firing
    const retimed = input.cron !== undefined || input.timezone !== undefined || input.enabled !== undefined;
    const nextFireAt = !enabled
      ? null
      : retimed
        ? nextFiring(cron, timezone, new Date())
        : current.nextFireAt;
    await this.schedules.update(id, { ...input, nextFireAt });
    const updated = await this.get(id);
    await this.armOrInit(updated);
    return toSchedule(updated);
  }

  async remove(id: string): Promise<void> {
    this.disarm(id);
    if (!(await this.schedules.delete(id))) {
      throw notFound(id);
    }
  }

  /** Reads every schedule again: arms the enabled ones, disarms the rest. */
  private async resync(): Promise<void> {
    try {
      const enabled = await this.schedules.findEnabled();
      const ids = new Set(enabled.map((schedule) => schedule.id));
      for (const id of [...this.armed.keys()]) {
        if (!ids.has(id)) {
          this.disarm(id);
        }
      }
      for (const schedule of enabled) {
        await this.armOrInit(schedule);
      }
    } catch (error) {
      this.logger.warn(`could not read the schedules: ${(error as Error).message}`);
    }
  }

  /** One schedule, as another backend (or this one) just left it. */
  private async reload(id: string): Promise<void> {
    try {
      const schedule = await this.schedules.findById(id);
      if (!schedule?.enabled) {
        this.disarm(id);
      } else {
        await this.armOrInit(schedule);
      }
    } catch (error) {
      this.logger.warn(`could not read schedule ${id}: ${(error as Error).message}`);
    }
  }

  private async armOrInit(schedule: IngestionScheduleEntity): Promise<void> {
    if (schedule.enabled && schedule.nextFireAt === null) {
      await this.schedules.initNextFiring(
        schedule.id,
        nextFiring(schedule.cron, schedule.timezone, new Date()),
      );
      const initialised = await this.schedules.findById(schedule.id);
      if (initialised) {
        this.arm(initialised);
      }
      return;
    }
    this.arm(schedule);
  }

  /** A timer for the schedule's next firing, replacing any older one; none if disabled. */
  private arm(schedule: IngestionScheduleEntity): void {
    const due = schedule.enabled ? schedule.nextFireAt : null;
    const current = this.armed.get(schedule.id);
    if (current && due && current.schedule.nextFireAt?.getTime() === due.getTime()) {
      current.schedule = schedule;
      return;
    }
    this.disarm(schedule.id);
    if (!due || this.closed) {
      return;
    }
    const timer = setTimeout(
      () => void this.onTimer(schedule.id),
      Math.min(MAX_TIMER_MS, Math.max(0, due.getTime() - Date.now())),
    );
    // the HTTP server keeps a backend alive; a schedule must not keep a closed one from exiting
    timer.unref();
    this.armed.set(schedule.id, { schedule, timer });
  }

  private disarm(id: string): void {
    const current = this.armed.get(id);
    if (!current) {
      return;
    }
    clearTimeout(current.timer);
    this.armed.delete(id);
  }

  private async onTimer(id: string): Promise<void> {
    const current = this.armed.get(id);
    const due = current?.schedule.nextFireAt;
    if (!current || !due) {
      return;
    }
    if (due.getTime() > Date.now()) {
      // a far firing, re-armed on the way
      this.armed.delete(id);
      this.arm(current.schedule);
      return;
    }
    try {
      const plan = planFiring(current.schedule, due, new Date());
      const claimed = await this.schedules.claimFiring(id, due, plan.next);
      if (!claimed) {
        // another backend claimed it, or the schedule changed: follow what the database says
        this.armed.delete(id);
        await this.reload(id);
        return;
      }
      this.armed.delete(id);
      this.arm(claimed);
      if (!plan.start) {
        this.logger.warn(`schedule ${id} skipped its firing due at ${due.toISOString()}: no backend was up`);
        return;
      }
      const run = await this.runs.start(claimed.params, {
        scheduleId: id,
        firingDueAt: due,
        reason: plan.caughtUp
          ? `started by schedule "${claimed.name}", catching up on firings missed since ${due.toISOString()}`
          : `started by schedule "${claimed.name}" (firing due at ${due.toISOString()})`,
      });
      await this.schedules.update(id, { lastRunId: run.id });
      this.logger.log(`schedule ${id} started run ${run.id}`);
    } catch (error) {
      this.logger.warn(`schedule ${id} could not start a run: ${(error as Error).message}`);
      // a failed claim (PostgreSQL away) is tried again with the next read of the schedule
      if (!this.armed.has(id)) {
        await this.reload(id);
      }
    }
  }

  private async get(id: string): Promise<IngestionScheduleEntity> {
    const entity = await this.schedules.findById(id);
    if (!entity) {
      throw notFound(id);
    }
    return entity;
  }
}

function toSchedule(entity: IngestionScheduleEntity): Schedule {
  return {
    id: entity.id,
    name: entity.name,
    cron: entity.cron,
    timezone: entity.timezone,
    params: entity.params,
    enabled: entity.enabled,
    catchUp: entity.catchUp,
    lastFiredAt: entity.lastFiredAt?.toISOString() ?? null,
    lastRunId: entity.lastRunId,
    nextFireAt: entity.enabled ? (entity.nextFireAt?.toISOString() ?? null) : null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ code: 'SCHEDULE_NOT_FOUND', message: `no schedule with id ${id}` });
}
