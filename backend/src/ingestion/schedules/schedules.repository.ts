import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { IngestionScheduleEntity } from './ingestion-schedule.entity.js';

@Injectable()
export class SchedulesRepository {
  constructor(
    @InjectRepository(IngestionScheduleEntity)
    private readonly schedules: Repository<IngestionScheduleEntity>,
  ) {}

  create(fields: Partial<IngestionScheduleEntity>): Promise<IngestionScheduleEntity> {
    return this.schedules.save(this.schedules.create(fields));
  }

  findAll(): Promise<IngestionScheduleEntity[]> {
    return this.schedules.find({ order: { createdAt: 'DESC' } });
  }

  findEnabled(): Promise<IngestionScheduleEntity[]> {
    return this.schedules.findBy({ enabled: true });
  }

  findById(id: string): Promise<IngestionScheduleEntity | null> {
    return this.schedules.findOneBy({ id });
  }

  async update(id: string, fields: Partial<IngestionScheduleEntity>): Promise<void> {
    await this.schedules.update({ id }, fields);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.schedules.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Claims the firing due at `due` and moves the schedule on to `next`: of several backends holding the
   * schedule, only the first moves `next_fire_at` on from `due`, so each firing happens exactly once. The
   * claimed schedule, or null (another backend claimed it, or the schedule changed meanwhile).
   */
  async claimFiring(id: string, due: Date, next: Date): Promise<IngestionScheduleEntity | null> {
    const result = await this.schedules
      .createQueryBuilder()
      .update()
      .set({ nextFireAt: next, lastFiredAt: () => 'now()' })
      .where('id = :id AND enabled AND next_fire_at = :due', { id, due })
      .execute();
    return (result.affected ?? 0) > 0 ? this.findById(id) : null;
  }

  /** Gives an enabled schedule without a next firing (one from before firings were stored) its first. */
  async initNextFiring(id: string, next: Date): Promise<void> {
    await this.schedules
      .createQueryBuilder()
      .update()
      .set({ nextFireAt: next })
      .where('id = :id AND enabled AND next_fire_at IS NULL', { id })
      .execute();
  }
}
