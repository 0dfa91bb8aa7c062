import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#src/config/index.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.postgres.url,
    entities,
    migrations,
    synchronize: false,
    migrationsTableName: 'schema_migrations',
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

/** Applies pending migrations under an advisory lock, so processes booting together do not race. */
export async function runPostgresMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['userstream.migrations']);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', ['userstream.migrations'])
      .catch(() => undefined);
    await runner.release();
  }
}
