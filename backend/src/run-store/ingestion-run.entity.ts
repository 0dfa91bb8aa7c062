import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunParams } from '@userstream/contracts';
import { bigintNumber } from '#src/database/index.js';

@Entity('ingestion_runs')
export class IngestionRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: string;

  @Column({ type: 'varchar', length: 16 })
  source!: string;

  @Column({ type: 'jsonb' })
  params!: RunParams;

  @Column({ name: 'schedule_id', type: 'uuid', nullable: true })
  scheduleId!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  owner!: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber, default: 0 })
  fetched!: number;

  @Column({ type: 'bigint', transformer: bigintNumber, default: 0 })
  produced!: number;

  @Column({ type: 'bigint', transformer: bigintNumber, default: 0 })
  processed!: number;

  @Column({ type: 'bigint', transformer: bigintNumber, default: 0 })
  stored!: number;

  @Column({ name: 'dead_lettered', type: 'bigint', transformer: bigintNumber, default: 0 })
  deadLettered!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors!: { at: string; message: string }[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;
}
