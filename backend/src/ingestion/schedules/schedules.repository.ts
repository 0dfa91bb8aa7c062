import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, type Repository } from 'typeorm';
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
   * Claims one firing: succeeds for exactly one backend instance when several hold the same schedule,
   * since only the first moves `last_fired_at` forward.
   */
  async claimFiring(id: string, firedAt: Date): Promise<boolean> {
    const before = new Date(firedAt.getTime() - 500);
    const result = await this.schedules.update(
      [
        { id, enabled: true, lastFiredAt: IsNull() },
        { id, enabled: true, lastFiredAt: LessThan(before) },
      ],
      { lastFiredAt: firedAt },
    );
    return (result.affected ?? 0) > 0;
  }
}
