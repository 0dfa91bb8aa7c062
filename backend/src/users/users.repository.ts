import { Inject, Injectable } from '@nestjs/common';
import { concurrent, type Client, errors, types } from 'cassandra-driver';
import { backoff, retry } from '#src/common/index.js';
import {
  CASSANDRA,
  counterBatch,
  unloggedBatch,
  WRITE_PROFILE,
  writeInBatches,
} from '#src/cassandra/index.js';
import type { UserRow } from './user-row.js';
import { versionMicros } from './user-version.js';

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

/** Written with the version's timestamp (`versionMicros`); `stored_at` is when the coordinator wrote it. */
const INSERT =
  `INSERT INTO users (${COLUMNS.map(([column]) => column).join(', ')}, stored_at) ` +
  `VALUES (${COLUMNS.map(() => '?').join(', ')}, toTimestamp(now())) USING TIMESTAMP ?`;
const SELECT = `SELECT ${COLUMNS.map(([column]) => column).join(', ')} FROM users`;
/** Rows stored before 006 have no `stored_at`: their write time was the time they were stored. */
const SELECT_WITH_STORED_AT = SELECT.replace(
  ' FROM users',
  ', stored_at, WRITETIME(processed_at) AS written_at FROM users',
);

/**
 * Search criteria; every one is served by an SAI index of users_search (005_users_search_async.cql), the run
 * alone also by users_run_id_idx (002) on the users table itself.
 */
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

/**
 * What users_search holds of a user: the searched fields, and the version they belong to (`versionMicros`),
 * which is also their write timestamp.
 */
export type SearchEntry = { version: bigint } & Pick<
  UserRow,
  | 'id'
  | 'runId'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'username'
  | 'country'
  | 'nat'
  | 'gender'
  | 'age'
  | 'registered'
>;

const SEARCH_COLUMNS = [
  ['id', 'id'],
  ['run_id', 'runId'],
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['email', 'email'],
  ['username', 'username'],
  ['country', 'country'],
  ['nat', 'nat'],
  ['gender', 'gender'],
  ['age', 'age'],
  ['registered', 'registered'],
] as const satisfies readonly (readonly [string, keyof SearchEntry])[];

const INSERT_SEARCH = `INSERT INTO users_search (${SEARCH_COLUMNS.map(([column]) => column).join(', ')}) VALUES (${SEARCH_COLUMNS.map(() => '?').join(', ')}) USING TIMESTAMP ?`;
const SELECT_SEARCH_IDS = 'SELECT id FROM users_search';
// first_name is never null (a user without one is dead-lettered), so its write time is the entry's version
const SELECT_TALLIED = `SELECT id, ${TALLIED.join(', ')}, WRITETIME(first_name) AS version FROM users_search WHERE id IN ?`;
const COUNT_UPDATE = 'UPDATE user_counts SET users = users + ? WHERE dimension = ? AND value = ?';
/** The dimension of user_counts that holds the total, and the value standing for "none" (see 005). */
const TOTAL = 'total';
const NONE = '';
/** Ids per `IN` read of the previous search entries. */
const ENTRY_READ_CHUNK = 100;
const BACKFILL_MARKER = 'users';

export interface UserTally {
  total: number;
  /** Users per stored value of each column; null holds the users without one. */
  counts: Record<TalliedColumn, Map<string | null, number>>;
}

/** Murmur3 tokens span [-2^63, 2^63 - 1]; -2^63 itself is never a row's token, so `> MIN` misses nothing. */
const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;
/** Token ranges of the one-off backfill scan: short requests. */
const SCAN_SPLITS = 16;
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

/** How long a run's users are asked again while Cassandra answers "not now". */
const RUN_READ_RETRY_MS = 60_000;

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
    await this.client.execute(INSERT, insertParams(row), { prepare: true, executionProfile: WRITE_PROFILE });
  }

  /** Several upserts in one request (see `unloggedBatch`); rejects with the driver's error for them all. */
  async upsertBatch(rows: readonly UserRow[]): Promise<void> {
    await unloggedBatch(this.client, INSERT, rows.map(insertParams), WRITE_PROFILE);
  }

  /** Writes every row (prepared, bounded concurrency), then indexes them (`index`); rejects if a write failed. */
  async upsertMany(rows: readonly UserRow[], concurrencyLevel = 128): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const params = rows.map(insertParams);
    await concurrent.executeConcurrent(this.client, INSERT, params, {
      concurrencyLevel: Math.min(concurrencyLevel, rows.length),
      raiseOnFirstError: true,
      executionProfile: WRITE_PROFILE,
    });
    await this.index(
      rows.map((row) => ({ ...row, version: rowVersion(row) })),
      concurrencyLevel,
    );
  }

  /**
   * Writes the search entries of these users and moves the counts by what changed: each entry's previous
   * version is read first, so a user written again with the same values (a redelivery) counts nothing, and
   * one whose country, gender or nationality changed moves from the old bucket to the new. An entry older than
   * the stored one (a replayed record) changes nothing. Entries of one id must not be indexed by two callers at
   * once (the indexer owns a Kafka partition, keyed by id).
   */
  async index(entries: readonly SearchEntry[], concurrencyLevel = 64): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const newest = new Map<string, SearchEntry>();
    for (const entry of entries) {
      const seen = newest.get(entry.id);
      if (!seen || entry.version >= seen.version) {
        newest.set(entry.id, entry);
      }
    }
    const previous = await this.previousEntries([...newest.keys()]);
    const latest = new Map(
      [...newest].filter(([id, entry]) => entry.version >= (previous.get(id)?.version ?? -1n)),
    );
    if (latest.size === 0) {
      return;
    }
    // entries are small (~200 B): ten to a batch
    await writeInBatches(
      this.client,
      INSERT_SEARCH,
      [...latest.values()].map((entry) => [
        ...SEARCH_COLUMNS.map(([, field]) => entry[field] ?? null),
        types.Long.fromString(entry.version.toString()),
      ]),
      { rowsPerBatch: 10, concurrency: concurrencyLevel, executionProfile: WRITE_PROFILE },
    );
    // dimension -> value -> users in or out
    const deltas = new Map<string, Map<string, number>>();
    const move = (dimension: string, value: string | null, by: number) => {
      const values = deltas.get(dimension) ?? new Map<string, number>();
      deltas.set(dimension, values);
      const key = value ?? NONE;
      values.set(key, (values.get(key) ?? 0) + by);
    };
    for (const [id, entry] of latest) {
      const before = previous.get(id);
      if (!before) {
        move(TOTAL, NONE, 1);
      }
      for (const column of TALLIED) {
        if (before && before[column] === entry[column]) {
          continue;
        }
        if (before) {
          move(column, before[column], -1);
        }
        move(column, entry[column], 1);
      }
    }
    // A dimension is one partition: a counter batch per dimension is one mutation each, where a request per
    // counter took about three times as long.
    const batches = [...deltas].map(([dimension, values]) =>
      [...values]
        .filter(([, by]) => by !== 0)
        .map(([value, by]) => [types.Long.fromNumber(by), dimension, value]),
    );
    await Promise.all(
      batches
        .filter((rows) => rows.length > 0)
        .map((rows) => counterBatch(this.client, COUNT_UPDATE, rows, WRITE_PROFILE)),
    );
  }

  /** Whether the rows stored before users_search existed have been indexed (see `markBackfilled`). */
  async backfilled(): Promise<boolean> {
    const result = await this.client.execute(
      'SELECT done_at FROM users_search_backfill WHERE name = ?',
      [BACKFILL_MARKER],
      { prepare: true },
    );
    return result.rowLength > 0;
  }

  async markBackfilled(): Promise<void> {
    await this.client.execute(
      'INSERT INTO users_search_backfill (name, done_at) VALUES (?, toTimestamp(now()))',
      [BACKFILL_MARKER],
      { prepare: true, executionProfile: WRITE_PROFILE },
    );
  }

  /**
   * Every stored user's search entry, a page at a time, in token ranges (a one-off pass at the indexer's first
   * start, never on a request path).
   */
  async *allSearchEntries(pageSize = 1_000): AsyncGenerator<SearchEntry[]> {
    // a row's write time is its version (or, stored before 006, when it was stored: older than any replay)
    const columns = `${SEARCH_COLUMNS.map(([column]) => column).join(', ')}, WRITETIME(first_name) AS version`;
    const cql = `SELECT ${columns} FROM users WHERE token(id) > ? AND token(id) <= ?`;
    const width = (MAX_TOKEN - MIN_TOKEN) / BigInt(SCAN_SPLITS);
    for (let i = 0; i < SCAN_SPLITS; i++) {
      const lower = MIN_TOKEN + width * BigInt(i);
      const upper = i === SCAN_SPLITS - 1 ? MAX_TOKEN : lower + width;
      const params = [types.Long.fromString(String(lower)), types.Long.fromString(String(upper))];
      let pageState: Buffer | undefined;
      do {
        const page = await this.query(cql, params, { fetchSize: pageSize, pageState, readTimeout: 60_000 });
        yield page.rows.map(toSearchEntry);
        pageState = page.pageState ? Buffer.from(page.pageState, 'hex') : undefined;
      } while (pageState);
    }
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const result = await this.client.execute(`${SELECT} WHERE id = ?`, [id], { prepare: true });
    const row = result.first();
    return row ? toUserRow(row) : undefined;
  }

  /** A user and when it was stored (`stored_at`; for rows stored before 006, their write time). */
  async findWithStoredAt(id: string): Promise<{ row: UserRow; storedAt: Date | null } | undefined> {
    const result = await this.client.execute(`${SELECT_WITH_STORED_AT} WHERE id = ?`, [id], {
      prepare: true,
    });
    const first = result.first();
    if (!first) {
      return undefined;
    }
    const storedAt = first['stored_at'] as Date | null;
    const micros = first['written_at'] as types.Long | null;
    return {
      row: toUserRow(first),
      storedAt: storedAt ?? (micros ? new Date(micros.div(types.Long.fromInt(1000)).toNumber()) : null),
    };
  }

  async findByIds(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const result = await this.client.execute(`${SELECT} WHERE id IN ?`, [ids], { prepare: true });
    return result.rows.map(toUserRow);
  }

  /**
   * Exact number of distinct users whose latest write came from this run (SAI on run_id), counted page by page
   * here: a server-side COUNT(*) over the index was seen failing on a busy node (a read failure, every retry)
   * where the same index read in pages answers.
   */
  async countByRun(runId: string): Promise<number> {
    let rows = 0;
    await this.pagesOfRun(runId, (page) => (rows += page.rowLength));
    return rows;
  }

  /** Ids of the users of a run (paged through the driver; for reconciliation and tests). */
  async idsByRun(runId: string): Promise<string[]> {
    const ids: string[] = [];
    await this.pagesOfRun(runId, (page) => {
      for (const row of page.rows) {
        ids.push(String(row['id']));
      }
    });
    return ids;
  }

  /**
   * Pages through a run's users. A page Cassandra cannot serve right now (just restarted, its index still
   * being checked, or overloaded) is asked again, for up to RUN_READ_RETRY_MS: a run's count decides its end.
   */
  private async pagesOfRun(runId: string, onPage: (page: types.ResultSet) => void): Promise<void> {
    let pageState: string | undefined;
    do {
      const page = await this.readRetrying(() =>
        this.client.execute('SELECT id FROM users WHERE run_id = ?', [runId], {
          prepare: true,
          fetchSize: 5_000,
          pageState,
          readTimeout: 60_000,
        }),
      );
      onPage(page);
      pageState = page.pageState ?? undefined;
    } while (pageState);
  }

  private readRetrying<T>(read: () => Promise<T>): Promise<T> {
    return retry(read, {
      delayMs: backoff.linear(500, 5_000),
      giveUpAfterMs: RUN_READ_RETRY_MS,
      retryable: (error) => error instanceof errors.ResponseError && UNAVAILABLE_ERRORS.has(error.code),
    });
  }

  /**
   * One page of users matching every criterion, in token order. No criterion reads the users table; the run
   * alone reads it through users_run_id_idx (as fresh as the write); anything else finds ids in users_search
   * (as fresh as the indexer) and reads their rows. The statement text depends only on which criteria are
   * set (values are bound), so each combination is prepared once and its paging state stays valid. A page
   * SAI returns short is topped up from where it stopped, so pages are full unless the result ends.
   */
  async search(filter: UserFilter, limit: number, pageState?: Buffer): Promise<UserSearchPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of EQUALITY) {
      const value = filter[field];
      if (value === undefined) {
        continue;
      }
      where.push(`${column} = ?`);
      params.push(value);
    }
    for (const [field, condition] of RANGES) {
      const value = filter[field];
      if (value === undefined) {
        continue;
      }
      where.push(condition);
      params.push(value);
    }
    const onUsers = where.length === 0 || (where.length === 1 && filter.runId !== undefined);
    const from = onUsers ? SELECT : SELECT_SEARCH_IDS;
    const cql = where.length > 0 ? `${from} WHERE ${where.join(' AND ')}` : from;
    const found: types.Row[] = [];
    let state = pageState;
    for (let fetch = 0; fetch < MAX_FETCHES_PER_PAGE && found.length < limit; fetch++) {
      const result = await this.query(cql, params, { fetchSize: limit - found.length, pageState: state });
      found.push(...result.rows);
      state = result.pageState ? Buffer.from(result.pageState, 'hex') : undefined;
      if (!state) {
        break;
      }
    }
    const rows = onUsers
      ? found.map(toUserRow)
      : await this.rowsInOrder(found.map((row) => String(row['id'])));
    return { rows, pageState: state ?? null };
  }

  /** Users per value of the tallied columns and in all, as kept by `index` (one small partition each). */
  async tally(): Promise<UserTally> {
    const tally: UserTally = { total: 0, counts: { country: new Map(), gender: new Map(), nat: new Map() } };
    const result = await this.query(
      'SELECT dimension, value, users FROM user_counts WHERE dimension IN ?',
      [[TOTAL, ...TALLIED]],
      { fetchSize: 10_000 },
    );
    for (const row of result.rows) {
      const dimension = String(row['dimension']);
      const value = String(row['value']);
      const users = (row['users'] as types.Long).toNumber();
      if (dimension === TOTAL) {
        tally.total = users;
      } else if (users !== 0 && isTallied(dimension)) {
        tally.counts[dimension].set(value === NONE ? null : value, users);
      }
    }
    return tally;
  }

  /** The stored rows of these ids, in the order given; an id whose row is gone is left out. */
  private async rowsInOrder(ids: string[]): Promise<UserRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const result = await this.query(`${SELECT} WHERE id IN ?`, [ids], {});
    const byId = new Map(result.rows.map((row) => [String(row['id']), toUserRow(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The tallied values of the search entries these ids have now. The chunks are read side by side: one after
   * the other, these reads took two-thirds as long as writing the entries. A batch is one partition's fetch
   * (at most 1 MB of users) or one backfill page of 1,000 users, so this is at most a dozen or so reads at once.
   */
  private async previousEntries(
    ids: string[],
  ): Promise<Map<string, Pick<SearchEntry, TalliedColumn | 'version'>>> {
    const chunks: string[][] = [];
    for (let at = 0; at < ids.length; at += ENTRY_READ_CHUNK) {
      chunks.push(ids.slice(at, at + ENTRY_READ_CHUNK));
    }
    const results = await Promise.all(
      chunks.map((chunk) => this.client.execute(SELECT_TALLIED, [chunk], { prepare: true })),
    );
    const entries = new Map<string, Pick<SearchEntry, TalliedColumn | 'version'>>();
    for (const row of results.flatMap((result) => result.rows)) {
      entries.set(String(row['id']), {
        country: row['country'] as string | null,
        gender: row['gender'] as string | null,
        nat: row['nat'] as string | null,
        version: BigInt(String(row['version'])),
      });
    }
    return entries;
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
        if (UNAVAILABLE_ERRORS.has(error.code)) {
          throw new UsersStoreUnavailableError(error.message);
        }
      }
      if (error instanceof errors.NoHostAvailableError || error instanceof errors.OperationTimedOutError) {
        throw new UsersStoreUnavailableError(error.message);
      }
      throw error;
    }
  }
}

/** The row's version: when its record entered the pipeline (processed, if that is unknown). */
const rowVersion = (row: UserRow): bigint =>
  versionMicros(row.ingestedAt ?? row.processedAt, row.kafkaOffset);

function insertParams(row: UserRow): unknown[] {
  return [
    ...COLUMNS.map(([, field]) =>
      field === 'kafkaOffset' && row.kafkaOffset !== null
        ? types.Long.fromString(row.kafkaOffset)
        : (row[field] ?? null),
    ),
    types.Long.fromString(rowVersion(row).toString()),
  ];
}

const isTallied = (dimension: string): dimension is TalliedColumn =>
  (TALLIED as readonly string[]).includes(dimension);

function toSearchEntry(row: types.Row): SearchEntry {
  const out: Record<string, unknown> = { version: BigInt(String(row['version'])) };
  for (const [column, field] of SEARCH_COLUMNS) {
    out[field] = (row[column] as unknown) ?? null;
  }
  return out as unknown as SearchEntry;
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
