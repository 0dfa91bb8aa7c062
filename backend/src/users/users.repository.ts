import { Inject, Injectable } from '@nestjs/common';
import { concurrent, type Client, errors, types } from 'cassandra-driver';
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
  ['fetched_at', 'fetchedAt'],
  ['ingested_at', 'ingestedAt'],
  ['kafka_topic', 'kafkaTopic'],
  ['kafka_partition', 'kafkaPartition'],
  ['kafka_offset', 'kafkaOffset'],
  ['processed_at', 'processedAt'],
] as const satisfies readonly (readonly [string, keyof UserRow])[];

const INSERT = `INSERT INTO users (${COLUMNS.map(([column]) => column).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
const SELECT = `SELECT ${COLUMNS.map(([column]) => column).join(', ')} FROM users`;
const SELECT_WITH_WRITETIME = SELECT.replace(
  ' FROM users',
  ', WRITETIME(processed_at) AS written_at FROM users',
);

/** Search criteria; every one is served by an SAI index (003_users_search.cql, 002 for run_id). */
export interface UserFilter {
  country?: string;
  nat?: string;
  gender?: string;
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  runId?: string;
  ageMin?: number;
  ageMax?: number;
  registeredFrom?: Date;
  registeredTo?: Date;
}

/** Equality filters and their indexed columns; text ones compare ignoring case and accents (index options). */
const EQUALITY = [
  ['runId', 'run_id'],
  ['country', 'country'],
  ['nat', 'nat'],
  ['gender', 'gender'],
  ['email', 'email'],
  ['username', 'username'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
] as const satisfies readonly (readonly [keyof UserFilter, string])[];

const RANGES = [
  ['ageMin', 'age >= ?'],
  ['ageMax', 'age <= ?'],
  ['registeredFrom', 'registered >= ?'],
  ['registeredTo', 'registered <= ?'],
] as const satisfies readonly (readonly [keyof UserFilter, string])[];

/** The columns the stats tally, per value. */
export const TALLIED = ['country', 'gender', 'nat'] as const;
export type TalliedColumn = (typeof TALLIED)[number];

export interface UserTally {
  total: number;
  /** Users per stored value of each column; null holds the users without one. */
  counts: Record<TalliedColumn, Map<string | null, number>>;
}

/** Murmur3 tokens span [-2^63, 2^63 - 1]; -2^63 itself is never a row's token, so `> MIN` misses nothing. */
const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;
/** Token ranges scanned in parallel by the tally: short requests, and several nodes work at once. */
const SCAN_SPLITS = 16;
const SCAN_FETCH_SIZE = 5_000;
/** A page is topped up at most this many times when SAI returns it short. */
const MAX_FETCHES_PER_PAGE = 4;

const PAGE_STATE_ERRORS = new Set<number>([
  types.responseErrorCodes.invalid,
  types.responseErrorCodes.protocolError,
]);
/** Server answers that mean "not now" rather than "wrong query"; a read failure also while an SAI index builds. */
const UNAVAILABLE_ERRORS = new Set<number>([
  types.responseErrorCodes.readFailure,
  types.responseErrorCodes.readTimeout,
  types.responseErrorCodes.unavailableException,
  types.responseErrorCodes.overloaded,
  types.responseErrorCodes.isBootstrapping,
]);

/** The page state was refused by Cassandra (it belongs to another query or schema). */
export class InvalidPageStateError extends Error {}

/** Cassandra could not answer a query of the users API now (down, overloaded, or an index still building). */
export class UsersStoreUnavailableError extends Error {}

export interface UserSearchPage {
  rows: UserRow[];
  /** Driver paging state to resume after the last row, or null when the result is exhausted. */
  pageState: Buffer | null;
}

/** Upserts are idempotent: the row key is the user id, so a redelivered record overwrites itself. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(CASSANDRA) private readonly client: Client) {}

  /** One prepared upsert; rejects with the driver's error (the processor sorts it into transient or permanent). */
  async upsert(row: UserRow): Promise<void> {
    await this.client.execute(INSERT, insertParams(row), { prepare: true });
  }

  /** Writes every row (prepared, bounded concurrency); rejects if any write failed. */
  async upsertMany(rows: readonly UserRow[], concurrencyLevel = 128): Promise<void> {
    if (rows.length === 0) return;
    const params = rows.map(insertParams);
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

  /** A user and the time Cassandra recorded for its write (the coordinator's write timestamp). */
  async findWithWriteTime(id: string): Promise<{ row: UserRow; writtenAt: Date | null } | undefined> {
    const result = await this.client.execute(`${SELECT_WITH_WRITETIME} WHERE id = ?`, [id], {
      prepare: true,
    });
    const first = result.first();
    if (!first) return undefined;
    const micros = first['written_at'] as types.Long | null;
    return {
      row: toUserRow(first),
      writtenAt: micros ? new Date(micros.div(types.Long.fromInt(1000)).toNumber()) : null,
    };
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

  /**
   * One page of users matching every criterion, in token order. The statement text depends only on which
   * criteria are set (values are bound), so each combination is prepared once and its paging state stays valid.
   * A page SAI returns short is topped up from where it stopped, so pages are full unless the result ends.
   */
  async search(filter: UserFilter, limit: number, pageState?: Buffer): Promise<UserSearchPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of EQUALITY) {
      const value = filter[field];
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    for (const [field, condition] of RANGES) {
      const value = filter[field];
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    const cql = where.length > 0 ? `${SELECT} WHERE ${where.join(' AND ')}` : SELECT;
    const rows: UserRow[] = [];
    let state = pageState;
    for (let fetch = 0; fetch < MAX_FETCHES_PER_PAGE && rows.length < limit; fetch++) {
      const result = await this.query(cql, params, { fetchSize: limit - rows.length, pageState: state });
      for (const row of result.rows) rows.push(toUserRow(row));
      state = result.pageState ? Buffer.from(result.pageState, 'hex') : undefined;
      if (!state) break;
    }
    return { rows, pageState: state ?? null };
  }

  /**
   * Counts every stored user by country, gender and nationality in one pass over the table (three small
   * columns per row, token ranges in parallel). The table holds one row per user id and a redelivered record
   * overwrites its row, so nobody is counted twice; ranges are read at slightly different moments, so
   * writes landing meanwhile may or may not be included.
   */
  async tally(): Promise<UserTally> {
    const tally: UserTally = { total: 0, counts: { country: new Map(), gender: new Map(), nat: new Map() } };
    const width = (MAX_TOKEN - MIN_TOKEN) / BigInt(SCAN_SPLITS);
    const bounds = Array.from({ length: SCAN_SPLITS + 1 }, (_, i) =>
      i === SCAN_SPLITS ? MAX_TOKEN : MIN_TOKEN + width * BigInt(i),
    );
    const cql = `SELECT ${TALLIED.join(', ')} FROM users WHERE token(id) > ? AND token(id) <= ?`;
    await Promise.all(
      bounds.slice(1).map(async (upper, i) => {
        const params = [types.Long.fromString(String(bounds[i])), types.Long.fromString(String(upper))];
        let pageState: Buffer | undefined;
        do {
          const page = await this.query(cql, params, {
            fetchSize: SCAN_FETCH_SIZE,
            pageState,
            readTimeout: 60_000,
          });
          for (const row of page.rows) {
            tally.total++;
            for (const column of TALLIED) {
              const value = row[column] as string | null;
              const counts = tally.counts[column];
              counts.set(value, (counts.get(value) ?? 0) + 1);
            }
          }
          pageState = page.pageState ? Buffer.from(page.pageState, 'hex') : undefined;
        } while (pageState);
      }),
    );
    return tally;
  }

  /** A prepared read of the query API, its failures sorted into what the caller can act on. */
  private async query(
    cql: string,
    params: unknown[],
    options: { fetchSize?: number; pageState?: Buffer; readTimeout?: number },
  ): Promise<types.ResultSet> {
    try {
      return await this.client.execute(cql, params, { prepare: true, ...options });
    } catch (error) {
      if (error instanceof errors.ResponseError) {
        // with a paging state, "invalid" and "protocol error" mean the server could not use that state
        if (options.pageState && PAGE_STATE_ERRORS.has(error.code)) {
          throw new InvalidPageStateError(error.message);
        }
        if (UNAVAILABLE_ERRORS.has(error.code)) throw new UsersStoreUnavailableError(error.message);
      }
      if (error instanceof errors.NoHostAvailableError || error instanceof errors.OperationTimedOutError) {
        throw new UsersStoreUnavailableError(error.message);
      }
      throw error;
    }
  }
}

function insertParams(row: UserRow): unknown[] {
  return COLUMNS.map(([, field]) =>
    field === 'kafkaOffset' && row.kafkaOffset !== null
      ? types.Long.fromString(row.kafkaOffset)
      : (row[field] ?? null),
  );
}

function toUserRow(row: types.Row): UserRow {
  const out: Record<string, unknown> = {};
  for (const [column, field] of COLUMNS) {
    const value: unknown = row[column];
    out[field] =
      value === undefined || value === null ? null : value instanceof types.Long ? value.toString() : value;
  }
  return out as unknown as UserRow;
}
