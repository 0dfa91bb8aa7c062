import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import type { AppConfig } from '../config/app-config.js';

/** Ordered `.cql` files, resolved from both `src/` (tests) and `dist/` (runtime). */
export const CQL_DIR = new URL('../../src/database/cql/', import.meta.url);

export interface CqlMigration {
  version: string;
  statements: string[];
  checksum: string;
}

/** Splits a CQL file into statements: `;` ends a statement; `--` and `//` start comments. */
export function splitCql(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .map((line) => line.replace(/^\s*(--|\/\/).*$/, ''))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

export async function loadCqlMigrations(dir: URL = CQL_DIR): Promise<CqlMigration[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cql')).sort();
  return Promise.all(
    files.map(async (name) => {
      const text = await readFile(new URL(name, dir), 'utf8');
      return {
        version: name.replace(/\.cql$/, ''),
        statements: splitCql(text),
        checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
      };
    }),
  );
}

/**
 * Creates the keyspace, then applies each migration not yet recorded in `schema_migrations`.
 * Statements use IF NOT EXISTS so a migration interrupted halfway can be applied again.
 */
export class CassandraMigrator {
  constructor(
    private readonly client: Client,
    private readonly options: AppConfig['cassandra'],
  ) {}

  async migrate(): Promise<string[]> {
    const { keyspace, replicationFactor } = this.options;
    await this.client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ` +
        `{'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
    );
    // the driver switches every pooled connection to the keyspace: migrations name tables unqualified
    await this.client.execute(`USE ${keyspace}`);
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations ` +
        `(version text PRIMARY KEY, checksum text, applied_at timestamp)`,
    );
    const done = await this.client.execute(`SELECT version FROM ${keyspace}.schema_migrations`);
    const applied = new Set(done.rows.map((row) => String(row['version'])));
    const appliedNow: string[] = [];
    for (const migration of await loadCqlMigrations()) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await this.client.execute(statement);
      }
      await this.client.execute(
        `INSERT INTO ${keyspace}.schema_migrations (version, checksum, applied_at) VALUES (?, ?, toTimestamp(now()))`,
        [migration.version, migration.checksum],
        { prepare: true },
      );
      appliedNow.push(migration.version);
    }
    return appliedNow;
  }
}
