import { Inject, Injectable } from '@nestjs/common';
import { concurrent, type Client, types } from 'cassandra-driver';
import { CASSANDRA } from '../cassandra/cassandra.module.js';
import type { UserRow } from '../processing/user-transform.js';

const COLUMNS = [
  ['id', 'id'],
  ['title', 'title'],
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['gender', 'gender'],
  ['email', 'email'],
  ['username', 'username'],
  ['dob', 'dob'],
  ['age', 'age'],
  ['registered', 'registered'],
  ['phone', 'phone'],
  ['cell', 'cell'],
  ['picture_large', 'pictureLarge'],
  ['picture_medium', 'pictureMedium'],
  ['picture_thumbnail', 'pictureThumbnail'],
  ['street', 'street'],
  ['city', 'city'],
  ['state', 'state'],
  ['country', 'country'],
  ['postcode', 'postcode'],
  ['latitude', 'latitude'],
  ['longitude', 'longitude'],
  ['timezone_offset', 'timezoneOffset'],
  ['timezone_description', 'timezoneDescription'],
  ['nat', 'nat'],
  ['source', 'source'],
  ['run_id', 'runId'],
  ['ingested_at', 'ingestedAt'],
  ['processed_at', 'processedAt'],
] as const satisfies readonly (readonly [string, keyof UserRow])[];

const INSERT = `INSERT INTO users (${COLUMNS.map(([column]) => column).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
const SELECT = `SELECT ${COLUMNS.map(([column]) => column).join(', ')} FROM users`;

/** Upserts are idempotent: the row key is the user id, so a redelivered record overwrites itself. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(CASSANDRA) private readonly client: Client) {}

  /** Writes every row (prepared, bounded concurrency); rejects if any write failed. */
  async upsertMany(rows: readonly UserRow[], concurrencyLevel = 128): Promise<void> {
    if (rows.length === 0) return;
    const params = rows.map((row) => COLUMNS.map(([, field]) => row[field] ?? null));
    await concurrent.executeConcurrent(this.client, INSERT, params, {
      concurrencyLevel: Math.min(concurrencyLevel, rows.length),
      raiseOnFirstError: true,
      executionProfile: undefined,
    });
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const result = await this.client.execute(`${SELECT} WHERE id = ?`, [id], { prepare: true });
    const row = result.first();
    return row ? toUserRow(row) : undefined;
  }

  async findByIds(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const result = await this.client.execute(`${SELECT} WHERE id IN ?`, [ids], { prepare: true });
    return result.rows.map(toUserRow);
  }

  /** Exact number of distinct users whose latest write came from this run (SAI on run_id). */
  async countByRun(runId: string): Promise<number> {
    const result = await this.client.execute('SELECT COUNT(*) AS n FROM users WHERE run_id = ?', [runId], {
      prepare: true,
      readTimeout: 60_000,
    });
    return Number(result.first()?.['n'] ?? 0);
  }

  /** Ids of the users of a run (paged through the driver; for reconciliation and tests). */
  async idsByRun(runId: string): Promise<string[]> {
    const ids: string[] = [];
    let pageState: string | undefined;
    do {
      const page = await this.client.execute('SELECT id FROM users WHERE run_id = ?', [runId], {
        prepare: true,
        fetchSize: 5_000,
        pageState,
      });
      for (const row of page.rows) ids.push(String(row['id']));
      pageState = page.pageState ?? undefined;
    } while (pageState);
    return ids;
  }
}

function toUserRow(row: types.Row): UserRow {
  const out: Record<string, unknown> = {};
  for (const [column, field] of COLUMNS) {
    const value: unknown = row[column];
    out[field] = value === undefined ? null : value;
  }
  return out as unknown as UserRow;
}
