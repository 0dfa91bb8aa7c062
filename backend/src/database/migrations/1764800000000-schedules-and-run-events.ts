import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schedules and runs like Airflow's: a schedule's catch-up policy for firings missed while no backend was up
 * (announced like its other fields), and a log of each run's events (started, retries, errors, source pages,
 * its end).
 */
export class SchedulesAndRunEvents1764800000000 implements MigrationInterface {
  name = 'SchedulesAndRunEvents1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ingestion_schedules
        ADD COLUMN catch_up varchar(8) NOT NULL DEFAULT 'skip' CHECK (catch_up IN ('skip', 'latest'))`);
    await queryRunner.query(`DROP TRIGGER ingestion_schedules_changed ON ingestion_schedules`);
    await queryRunner.query(`
      CREATE TRIGGER ingestion_schedules_changed
        AFTER INSERT OR DELETE OR UPDATE OF name, cron, timezone, params, enabled, catch_up ON ingestion_schedules
        FOR EACH ROW EXECUTE FUNCTION notify_ingestion_schedule_change()`);
    await queryRunner.query(`
      CREATE TABLE ingestion_run_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES ingestion_runs (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        kind varchar(16) NOT NULL,
        message text NOT NULL,
        details jsonb
      )`);
    await queryRunner.query(`CREATE INDEX ingestion_run_events_run_idx ON ingestion_run_events (run_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion_run_events`);
    await queryRunner.query(`DROP TRIGGER ingestion_schedules_changed ON ingestion_schedules`);
    await queryRunner.query(`
      CREATE TRIGGER ingestion_schedules_changed
        AFTER INSERT OR DELETE OR UPDATE OF name, cron, timezone, params, enabled ON ingestion_schedules
        FOR EACH ROW EXECUTE FUNCTION notify_ingestion_schedule_change()`);
    await queryRunner.query(`ALTER TABLE ingestion_schedules DROP COLUMN catch_up`);
  }
}
