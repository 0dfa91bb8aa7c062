import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1764400000000 implements MigrationInterface {
  name = 'Init1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingestion_schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(120) NOT NULL,
        cron varchar(120) NOT NULL,
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        params jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        last_fired_at timestamptz,
        last_run_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ingestion_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state varchar(16) NOT NULL,
        source varchar(16) NOT NULL,
        params jsonb NOT NULL,
        schedule_id uuid REFERENCES ingestion_schedules(id) ON DELETE SET NULL,
        owner varchar(120),
        fetched bigint NOT NULL DEFAULT 0,
        produced bigint NOT NULL DEFAULT 0,
        processed bigint NOT NULL DEFAULT 0,
        stored bigint NOT NULL DEFAULT 0,
        dead_lettered bigint NOT NULL DEFAULT 0,
        error text,
        errors jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ingestion_runs_created_at_idx ON ingestion_runs (created_at DESC)`);
    await queryRunner.query(`CREATE INDEX ingestion_runs_state_idx ON ingestion_runs (state)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion_runs`);
    await queryRunner.query(`DROP TABLE ingestion_schedules`);
  }
}
