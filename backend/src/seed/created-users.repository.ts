import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Client, types } from 'cassandra-driver';
import { SEED_TABLE } from '@userstream/contracts';
import {
  CASSANDRA,
  CASSANDRA_REPLICATION,
  WRITE_PROFILE,
  type KeyspaceReplication,
  unloggedBatch,
  replicationCql,
  schemaAgreed,
} from '#src/cassandra/index.js';
import { AppConfig } from '#src/config/index.js';
import { SEED_COLUMNS, type SeedRow } from './seed-user.transform.js';

/**
 * The tutorial's keyspace and table, in the tutorial's own words (its Spark job runs these statements when it
 * starts), so a cluster it already set up is taken as it is and a fresh single node ends up the same. On a ring
 * a fresh keyspace gets the product's replication instead of the tutorial's single copy, to survive a lost node.
 */
const createKeyspace = (keyspace: string, { replicationFactor, replication }: KeyspaceReplication) =>
  `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ` +
  (replicationFactor === 1
    ? `{'class': 'SimpleStrategy', 'replication_factor': '1'}`
    : replicationCql(replication));
export const createdUsersTableCql = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (
  id uuid PRIMARY KEY,
  first_name text,
  last_name text,
  gender text,
  address text,
  post_code text,
  email text,
  username text,
  registered_date text,
  phone text,
  picture text)`;

/** Seed users in `<SEED_KEYSPACE>.created_users`; a redelivered record overwrites its own row. */
@Injectable()
export class CreatedUsersRepository implements OnModuleInit {
  /** Fully qualified: the shared client is bound to the product's keyspace, not this one. */
  private readonly table: string;
  private readonly insert: string;
  private readonly select: string;

  constructor(
    @Inject(CASSANDRA) private readonly client: Client,
    @Inject(CASSANDRA_REPLICATION) private readonly replication: KeyspaceReplication,
    private readonly config: AppConfig,
  ) {
    // the keyspace name is validated by the config schema (lower-case letters, digits and _)
    this.table = `${config.cassandra.seedKeyspace}.${SEED_TABLE}`;
    this.insert = `INSERT INTO ${this.table} (${SEED_COLUMNS.join(', ')}) VALUES (${SEED_COLUMNS.map(() => '?').join(', ')})`;
    this.select = `SELECT ${SEED_COLUMNS.join(', ')} FROM ${this.table}`;
  }

  /** Only a process that consumes the seed topic writes the table, so only such a process creates it. */
  async onModuleInit(): Promise<void> {
    if (!this.config.runsProcessor) {
      return;
    }
    await this.ensureTable();
  }

  async ensureTable(): Promise<void> {
    // every node knows the keyspace before the table goes in, and the table before an INSERT is prepared
    await this.client.execute(createKeyspace(this.config.cassandra.seedKeyspace, this.replication));
    await schemaAgreed(this.client);
    await this.client.execute(createdUsersTableCql(this.table));
    await schemaAgreed(this.client);
  }

  /** One prepared upsert; the uuid column takes the id as a string. Rejects with the driver's error. */
  async upsert(row: SeedRow): Promise<void> {
    await this.client.execute(this.insert, seedParams(row), {
      prepare: true,
      executionProfile: WRITE_PROFILE,
    });
  }

  /** Several upserts in one request (see `unloggedBatch`); rejects with the driver's error for them all. */
  async upsertBatch(rows: readonly SeedRow[]): Promise<void> {
    await unloggedBatch(this.client, this.insert, rows.map(seedParams), WRITE_PROFILE);
  }

  async findById(id: string): Promise<SeedRow | undefined> {
    const result = await this.client.execute(`${this.select} WHERE id = ?`, [id], { prepare: true });
    const row = result.first();
    return row ? toSeedRow(row) : undefined;
  }

  /** Rows in the table (a full scan, as `SELECT count(*)` in cqlsh: for tests and reconciliation). */
  async count(): Promise<number> {
    const result = await this.client.execute(`SELECT count(*) AS n FROM ${this.table}`, [], {
      readTimeout: 120_000,
    });
    return Number(result.first()?.['n'] ?? 0);
  }
}

const seedParams = (row: SeedRow): string[] => SEED_COLUMNS.map((column) => row[column]);

function toSeedRow(row: types.Row): SeedRow {
  const out = {} as SeedRow;
  for (const column of SEED_COLUMNS) {
    out[column] = String(row[column] ?? '');
  }
  return out;
}
