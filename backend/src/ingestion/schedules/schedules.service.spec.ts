import { setTimeout as sleep } from 'node:timers/promises';
import type { RunsService } from '../runs/runs.service.js';
import type { IngestionScheduleEntity } from './ingestion-schedule.entity.js';
import type { ScheduleChangeHandlers, ScheduleChangesRepository } from './schedule-changes.repository.js';
import type { SchedulesRepository } from './schedules.repository.js';
import { SchedulesService } from './schedules.service.js';

describe('SchedulesService', () => {
  it('arms no timer once shut down, though a change is heard after that', async () => {
    const schedule = {
      id: 's1',
      name: 'every second',
      cron: '* * * * * *',
      timezone: 'UTC',
      params: {},
      enabled: true,
      catchUp: 'skip',
      lastFiredAt: null,
      lastRunId: null,
      nextFireAt: new Date(Date.now() + 100),
      createdAt: new Date(),
      updatedAt: new Date(),
    } as unknown as IngestionScheduleEntity;
    let claims = 0;
    const claimFiring = () => {
      claims++;
      return Promise.resolve(null);
    };
    const schedules = {
      findEnabled: () => Promise.resolve([]),
      findById: () => Promise.resolve(schedule),
      claimFiring,
    } as unknown as SchedulesRepository;
    let handlers: ScheduleChangeHandlers | undefined;
    const changes = {
      listen: (given: ScheduleChangeHandlers) => {
        handlers = given;
        return Promise.resolve();
      },
    } as unknown as ScheduleChangesRepository;
    const service = new SchedulesService(schedules, changes, {} as RunsService);

    await service.onApplicationBootstrap();
    service.onApplicationShutdown();
    // a notification that arrives while the app closes: the schedule is read again, and must not be armed
    handlers!.changed('s1');
    await sleep(300);
    expect(claims).toBe(0);
  });
});
