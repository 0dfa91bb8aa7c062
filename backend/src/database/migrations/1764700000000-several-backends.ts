import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several API backends on one database: each schedule's next firing is stored, so exactly one backend claims it
 * (`UPDATE ... WHERE next_fire_at = $old`), and every change to a schedule is announced on the channel
 * `ingestion_schedules` (LISTEN/NOTIFY), so the other backends follow it at once.
 */
export class SeveralBackends1764700000000 implements MigrationInterface {
  name = 'SeveralBackends1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingestion_schedules ADD COLUMN next_fire_at timestamptz`);
    await queryRunner.query(`
      CREATE FUNCTION notify_ingestion_schedule_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ingestion_schedules', COALESCE(NEW.id, OLD.id)::text);
        RETURN NULL;
      END
      $$`);
    // a claimed firing (next_fire_at, last_fired_at, last_run_id) is no change of the schedule itself
    await queryRunner.query(`
      CREATE TRIGGER ingestion_schedules_changed
        AFTER INSERT OR DELETE OR UPDATE OF name, cron, timezone, params, enabled ON ingestion_schedules
        FOR EACH ROW EXECUTE FUNCTION notify_ingestion_schedule_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ingestion_schedules_changed ON ingestion_schedules`);
    await queryRunner.query(`DROP FUNCTION notify_ingestion_schedule_change()`);
    await queryRunner.query(`ALTER TABLE ingestion_schedules DROP COLUMN next_fire_at`);
  }
}
