import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History that survives a restart: the live stats' per-second throughput, lag and latency samples, and each
 * run's counters sampled every second (its curve). Keyed by the second, so several backends writing the same
 * second keep one row (they all compute the same values from the runs table and Kafka).
 */
export class History1764900000000 implements MigrationInterface {
  name = 'History1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE throughput_samples (
        t timestamptz PRIMARY KEY,
        fetched double precision NOT NULL,
        produced double precision NOT NULL,
        processed double precision NOT NULL,
        stored double precision NOT NULL,
        dead_lettered double precision NOT NULL,
        stream_rate double precision NOT NULL,
        lag bigint,
        drain_seconds double precision,
        latency_p50_ms double precision,
        latency_p99_ms double precision
      )`);
    await queryRunner.query(`
      CREATE TABLE ingestion_run_curve_points (
        run_id uuid NOT NULL REFERENCES ingestion_runs (id) ON DELETE CASCADE,
        t timestamptz NOT NULL,
        fetched bigint NOT NULL,
        produced bigint NOT NULL,
        processed bigint NOT NULL,
        stored bigint NOT NULL,
        dead_lettered bigint NOT NULL,
        PRIMARY KEY (run_id, t)
      )`);
    // retention deletes by time across all runs
    await queryRunner.query(
      `CREATE INDEX ingestion_run_curve_points_t_idx ON ingestion_run_curve_points (t)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingestion_run_curve_points`);
    await queryRunner.query(`DROP TABLE throughput_samples`);
  }
}
