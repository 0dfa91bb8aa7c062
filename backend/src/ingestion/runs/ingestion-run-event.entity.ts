import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunEventKind } from '@userstream/contracts';

/** One moment in a run's life (started, a retry, an error, a source page, its end). */
@Entity('ingestion_run_events')
export class IngestionRunEventEntity {
  /** bigint: pg hands it over as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  kind!: RunEventKind;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;
}
