import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One mutation through the API, or one read of personal data unmasked, successful or not. */
@Entity('audit_log')
export class AuditLogEntity {
  /** bigint: pg hands it over as a string, which is also its wire form. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The token's name, or `local` when authentication is off, or `anonymous` when no valid token came. */
  @Column({ type: 'varchar', length: 120 })
  actor!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  /** The route pattern (`/api/ingestion/runs/:id/stop`), not the concrete path. */
  @Column({ type: 'varchar', length: 300 })
  route!: string;

  /** Path parameters and a summary of the query and body, secrets removed. */
  @Column({ type: 'jsonb', nullable: true })
  target!: object | null;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode!: number;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;
}
