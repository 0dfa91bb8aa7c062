import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '#src/database/index.js';

/** A run's cumulative counters at one second of its life; rates and backlog are derived on read. */
@Entity('ingestion_run_curve_points')
export class RunCurvePointEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  /** The second the counters were read in. */
  @PrimaryColumn({ type: 'timestamptz' })
  t!: Date;

  @Column({ type: 'bigint', transformer: bigintNumber })
  fetched!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  produced!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  processed!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  stored!: number;

  @Column({ name: 'dead_lettered', type: 'bigint', transformer: bigintNumber })
  deadLettered!: number;
}
