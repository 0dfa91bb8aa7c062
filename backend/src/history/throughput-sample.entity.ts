import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; an unknown lag stays null. */
const nullableBigint: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One second of the live stats: per-stage rates, stream rate, lag and ingest-to-stored latency. */
@Entity('throughput_samples')
export class ThroughputSampleEntity {
  /** The second the sample was taken in (several backends sampling the same second keep one row). */
  @PrimaryColumn({ type: 'timestamptz' })
  t!: Date;

  @Column({ type: 'double precision' })
  fetched!: number;

  @Column({ type: 'double precision' })
  produced!: number;

  @Column({ type: 'double precision' })
  processed!: number;

  @Column({ type: 'double precision' })
  stored!: number;

  @Column({ name: 'dead_lettered', type: 'double precision' })
  deadLettered!: number;

  @Column({ name: 'stream_rate', type: 'double precision' })
  streamRate!: number;

  @Column({ type: 'bigint', nullable: true, transformer: nullableBigint })
  lag!: number | null;

  @Column({ name: 'drain_seconds', type: 'double precision', nullable: true })
  drainSeconds!: number | null;

  @Column({ name: 'latency_p50_ms', type: 'double precision', nullable: true })
  latencyP50Ms!: number | null;

  @Column({ name: 'latency_p99_ms', type: 'double precision', nullable: true })
  latencyP99Ms!: number | null;
}
