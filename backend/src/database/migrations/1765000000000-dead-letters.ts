import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeadLetters1765000000000 implements MigrationInterface {
  name = 'DeadLetters1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // the dead-letter topic's index: one row per letter, keyed by where it is in that topic
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        dlq_topic varchar(249) NOT NULL,
        dlq_partition integer NOT NULL,
        dlq_offset bigint NOT NULL,
        kind varchar(32) NOT NULL,
        reason text NOT NULL,
        run_id varchar(64),
        source_topic varchar(249) NOT NULL,
        source_partition integer NOT NULL,
        source_offset bigint NOT NULL,
        record_key text,
        failed_at timestamptz NOT NULL,
        value bytea,
        value_bytes integer NOT NULL,
        value_truncated boolean NOT NULL,
        headers jsonb NOT NULL,
        redrive_of varchar(300),
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
    await queryRunner.query(
      `CREATE INDEX dead_letters_kind_run_idx ON dead_letters (dlq_topic, kind, run_id, failed_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX dead_letters_failed_at_idx ON dead_letters (dlq_topic, failed_at DESC, dlq_partition, dlq_offset)`,
    );
    // the redrive ledger: at most one redrive per letter, ever
    await queryRunner.query(`
      CREATE TABLE dead_letter_redrives (
        dlq_topic varchar(249) NOT NULL,
        dlq_partition integer NOT NULL,
        dlq_offset bigint NOT NULL,
        redrive_id uuid NOT NULL,
        actor varchar(120) NOT NULL,
        state varchar(16) NOT NULL,
        target_topic varchar(249) NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        produced_at timestamptz,
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
    await queryRunner.query(
      `CREATE INDEX dead_letter_redrives_id_idx ON dead_letter_redrives (redrive_id, claimed_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letter_redrives`);
    await queryRunner.query(`DROP TABLE dead_letters`);
  }
}
