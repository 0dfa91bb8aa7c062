import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A letter of the dead-letter topic, indexed by `DeadLettersIndexer` as it is written. */
@Entity('dead_letters')
export class DeadLetterEntity {
  @PrimaryColumn({ name: 'dlq_topic', type: 'varchar', length: 249 })
  dlqTopic!: string;

  @PrimaryColumn({ name: 'dlq_partition', type: 'integer' })
  dlqPartition!: number;

  /** bigint: pg hands it over as a string, which is also Kafka's wire form. */
  @PrimaryColumn({ name: 'dlq_offset', type: 'bigint' })
  dlqOffset!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'run_id', type: 'varchar', length: 64, nullable: true })
  runId!: string | null;

  @Column({ name: 'source_topic', type: 'varchar', length: 249 })
  sourceTopic!: string;

  @Column({ name: 'source_partition', type: 'integer' })
  sourcePartition!: number;

  @Column({ name: 'source_offset', type: 'bigint' })
  sourceOffset!: string;

  @Column({ name: 'record_key', type: 'text', nullable: true })
  recordKey!: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz' })
  failedAt!: Date;

  /** The original value as the letter carries it (its first 256 KiB when larger). */
  @Column({ type: 'bytea', nullable: true })
  value!: Buffer | null;

  @Column({ name: 'value_bytes', type: 'integer' })
  valueBytes!: number;

  @Column({ name: 'value_truncated', type: 'boolean' })
  valueTruncated!: boolean;

  /** The original record's headers, name -> base64 (a redrive sends them again). */
  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** The letter this record was redriven from, when it was a redrive that failed again. */
  @Column({ name: 'redrive_of', type: 'varchar', length: 300, nullable: true })
  redriveOf!: string | null;
}

/** The redrive ledger: one row per letter ever redriven, claimed before producing, confirmed after. */
@Entity('dead_letter_redrives')
export class DeadLetterRedriveEntity {
  @PrimaryColumn({ name: 'dlq_topic', type: 'varchar', length: 249 })
  dlqTopic!: string;

  @PrimaryColumn({ name: 'dlq_partition', type: 'integer' })
  dlqPartition!: number;

  @PrimaryColumn({ name: 'dlq_offset', type: 'bigint' })
  dlqOffset!: string;

  @Column({ name: 'redrive_id', type: 'uuid' })
  redriveId!: string;

  @Column({ type: 'varchar', length: 120 })
  actor!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: 'pending' | 'produced';

  @Column({ name: 'target_topic', type: 'varchar', length: 249 })
  targetTopic!: string;

  @Column({ name: 'claimed_at', type: 'timestamptz' })
  claimedAt!: Date;

  @Column({ name: 'produced_at', type: 'timestamptz', nullable: true })
  producedAt!: Date | null;
}
