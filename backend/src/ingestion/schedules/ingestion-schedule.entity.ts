import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CatchUpPolicy, RunParams } from '@userstream/contracts';

@Entity('ingestion_schedules')
export class IngestionScheduleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 120 })
  cron!: string;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone!: string;

  @Column({ type: 'jsonb' })
  params!: RunParams;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** What to do about firings missed while no backend was up. */
  @Column({ name: 'catch_up', type: 'varchar', length: 8, default: 'skip' })
  catchUp!: CatchUpPolicy;

  @Column({ name: 'last_fired_at', type: 'timestamptz', nullable: true })
  lastFiredAt!: Date | null;

  /** The next firing not yet claimed; null while disabled. */
  @Column({ name: 'next_fire_at', type: 'timestamptz', nullable: true })
  nextFireAt!: Date | null;

  @Column({ name: 'last_run_id', type: 'uuid', nullable: true })
  lastRunId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
