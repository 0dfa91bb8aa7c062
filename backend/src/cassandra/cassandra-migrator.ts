import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '#src/config/index.js';
import { waitFor } from '#src/common/index.js';
import {
  type KeyspaceReplication,
  keyspaceReplication,
  replicationCql,
  replicationDiffers,
} from './keyspace-replication.js';

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
 * Waits until every node that is up has the same schema. The driver waits for it after each DDL statement, but
 * only 10 s: on a loaded ring a node can take longer, and a statement it coordinates then is told that the new
 * keyspace or table does not exist.
 */
export async function schemaAgreed(client: Client, timeoutMs = 120_000): Promise<void> {
  // in the driver (lib/metadata) but missing from its type declarations
  const metadata = client.metadata as unknown as { checkSchemaAgreement(): Promise<boolean> };
  if (!(await waitFor(() => metadata.checkSchemaAgreement(), { everyMs: 500, timeoutMs }))) {
    throw new Error(`Cassandra nodes disagree on the schema after ${timeoutMs / 1000} s`);
  }
}

/**
 * Creates the keyspace (or brings its replication to the wanted one), then applies each migration not yet
 * recorded in `schema_migrations`. Statements use IF NOT EXISTS so a migration interrupted halfway can be
 * applied again.
 */
export class CassandraMigrator {
  private readonly logger = new Logger(CassandraMigrator.name);

  constructor(
    private readonly client: Client,
    private readonly options: AppConfig['cassandra'],
    private readonly replication: KeyspaceReplication,
  ) {}

  /**
   * A keyspace created before (by an older version, SimpleStrategy; or on fewer nodes) is altered to the wanted
   * replication; more copies of rows written before need a repair, which only an operator can schedule.
   */
  async ensureKeyspace(keyspace: string): Promise<void> {
    const wanted = this.replication.replication;
    const found = await this.client.execute(
      'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [keyspace],
      { prepare: true },
    );
    const stored = found.first()?.['replication'] as Record<string, string> | undefined;
    if (!stored) {
      await this.client.execute(
        `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replicationCql(wanted)}`,
      );
      await schemaAgreed(this.client);
      return;
    }
    if (!replicationDiffers(stored, wanted)) {
      return;
    }
    await this.client.execute(`ALTER KEYSPACE ${keyspace} WITH replication = ${replicationCql(wanted)}`);
    await schemaAgreed(this.client);
    this.logger.warn(
      `keyspace ${keyspace}: replication changed from ${JSON.stringify(stored)} to ${JSON.stringify(wanted)}; ` +
        'if it now keeps more copies, run `nodetool repair -full` on every node so rows written before get them',
    );
  }

  async migrate(): Promise<string[]> {
    const { keyspace } = this.options;
    await this.ensureKeyspace(keyspace);
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
      if (applied.has(migration.version)) {
        continue;
      }
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
    if (appliedNow.length > 0) {
      await schemaAgreed(this.client);
    }
    return appliedNow;
  }
}

/**
 * Connects `client` (not bound to a keyspace), sizes the replication from the nodes of the local data center it
 * discovers (or the settings), and migrates the product's keyspace.
 */
export async function migrateCassandra(
  client: Client,
  options: AppConfig['cassandra'],
): Promise<{ replication: KeyspaceReplication; applied: string[] }> {
  await client.connect();
  const nodes = client.hosts.values().filter((host) => host.datacenter === options.localDataCenter).length;
  const replication = keyspaceReplication(nodes, options.localDataCenter, options);
  const applied = await new CassandraMigrator(client, options, replication).migrate();
  return { replication, applied };
}
