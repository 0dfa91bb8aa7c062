/** `npm run db:migrate`: applies PostgreSQL and Cassandra migrations, then exits. */
import { DataSource } from 'typeorm';
import { Client } from 'cassandra-driver';
import { loadConfig } from '#src/config/index.js';
import { migrateCassandra, reachRing } from '#src/cassandra/index.js';
import { dataSourceOptions, runPostgresMigrations } from './data-source.js';

const config = loadConfig();
const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
try {
  const applied = await runPostgresMigrations(dataSource);
  console.log(`postgres: ${applied.length ? applied.join(', ') : 'up to date'}`);
} finally {
  await dataSource.destroy();
}
const cassandra = new Client(reachRing(config.cassandra));
try {
  const { applied } = await migrateCassandra(cassandra, config.cassandra);
  console.log(`cassandra: ${applied.length ? applied.join(', ') : 'up to date'}`);
} finally {
  await cassandra.shutdown();
}
