import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1764600001000 implements MigrationInterface {
  name = 'AuditLog1764600001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor varchar(120) NOT NULL,
        role varchar(16),
        method varchar(10) NOT NULL,
        route varchar(300) NOT NULL,
        target jsonb,
        status_code smallint NOT NULL,
        success boolean NOT NULL,
        duration_ms integer NOT NULL,
        ip varchar(64)
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_log_actor_at_idx ON audit_log (actor, at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
  }
}
