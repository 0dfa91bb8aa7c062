/**
 * Case 2a, Cassandra write ceilings of the search models, side by side. Each round writes the same new rows
 * (the processor's own transform, new ids) to one table per model, one model after the other (a rotating
 * order), through
 * cassandra-driver's executeConcurrent at a tuned concurrency; the ratio of each model to the unindexed
 * table is taken within the round, since this machine's figures move a lot between rounds.
 *
 * - unindexed: the users row with no index, the bound on any model
 * - v1, ten SAI: the users row with one SAI per filter (003), the model before data plane v2
 * - terms set: the users row plus a set<text> of 8 prefixed terms under one SAI, and SAI on age and registered
 * - ingest write: the real users table, the row with users_run_id_idx only (what `upsert` writes)
 * - search entry: the real users_search table, what the search indexer writes behind the ingest path
 * - chosen model: both of the last two for each user, interleaved, as Cassandra takes them when the pipeline
 *   runs; its rate counts users, and it is the model's INSERT ceiling the targets use
 * - two unindexed writes: the same two rows for each user with no index at all, the bound on any model that
 *   writes a second row per user (query tables, a search copy)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { concurrent } from 'cassandra-driver';
import type { UserRow } from '#src/users/user-row.js';
import { userRows } from './bench-data.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { progress } from './harness.js';
import type { Figure } from './report.js';
import { perSecond, spread } from './stats.js';

const CASE = '2 cassandra';
/** Rows per model and round: seven models at 100,000 would make this case a quarter of an hour long. */
const MAX_ROWS = 30_000;
const FOLDED = `WITH OPTIONS = {'case_sensitive': 'false', 'normalize': 'true', 'ascii': 'true'}`;
const TERMS: [prefix: string, field: keyof UserRow][] = [
  ['ru', 'runId'],
  ['co', 'country'],
  ['na', 'nat'],
  ['ge', 'gender'],
  ['em', 'email'],
  ['us', 'username'],
  ['fn', 'firstName'],
  ['ln', 'lastName'],
];
const SEARCHED: (keyof UserRow)[] = [
  'id',
  'runId',
  'firstName',
  'lastName',
  'email',
  'username',
  'country',
  'nat',
  'gender',
  'age',
  'registered',
];

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** One INSERT a model makes for each user. */
interface Write {
  table: string;
  fields: (keyof UserRow)[];
  /** Extra bound values after the fields, for a column UserRow does not have. */
  terms?: boolean;
}

interface Model {
  id: string;
  name: string;
  /** Tables of the bench's own, created (and dropped with the keyspace) for this case. */
  ddl: (columns: { row: string; searched: string }) => string[];
  writes: Write[];
}

function models(fields: (keyof UserRow)[]): Model[] {
  const ingest: Write = { table: 'users', fields };
  const search: Write = { table: 'users_search', fields: SEARCHED };
  const sai = (table: string, column: string, options = '') =>
    `CREATE CUSTOM INDEX ON ${table} (${column}) USING 'StorageAttachedIndex' ${options}`;
  return [
    {
      id: 'cassandra.unindexed',
      name: 'INSERT ceiling, unindexed row',
      ddl: ({ row }) => [`CREATE TABLE bench_unindexed (${row})`],
      writes: [{ table: 'bench_unindexed', fields }],
    },
    {
      id: 'cassandra.model.sai10',
      name: 'INSERT ceiling, v1: ten SAI indexes',
      ddl: ({ row }) => [
        `CREATE TABLE bench_sai10 (${row})`,
        sai('bench_sai10', 'run_id'),
        ...['country', 'nat', 'gender', 'email', 'username', 'first_name', 'last_name'].map((column) =>
          sai('bench_sai10', column, FOLDED),
        ),
        sai('bench_sai10', 'age'),
        sai('bench_sai10', 'registered'),
      ],
      writes: [{ table: 'bench_sai10', fields }],
    },
    {
      id: 'cassandra.model.terms',
      name: 'INSERT ceiling, terms set<text> SAI + age + registered',
      ddl: ({ row }) => [
        `CREATE TABLE bench_terms (${row}, terms set<text>)`,
        sai('bench_terms', 'terms', FOLDED),
        sai('bench_terms', 'age'),
        sai('bench_terms', 'registered'),
      ],
      writes: [{ table: 'bench_terms', fields, terms: true }],
    },
    {
      id: 'cassandra.ceiling',
      name: 'ingest write: users row + run_id SAI',
      ddl: () => [],
      writes: [ingest],
    },
    {
      id: 'cassandra.search',
      name: 'search indexer write, users_search (10 SAI)',
      ddl: () => [],
      writes: [search],
    },
    {
      id: 'cassandra.model',
      name: 'INSERT ceiling, chosen: users row + users_search entry',
      ddl: () => [],
      writes: [ingest, search],
    },
    {
      id: 'cassandra.two',
      name: 'INSERT ceiling, two unindexed writes: users row + search entry, no index',
      ddl: ({ searched }) => [`CREATE TABLE bench_search_unindexed (${searched})`],
      writes: [
        { table: 'bench_unindexed', fields },
        { table: 'bench_search_unindexed', fields: SEARCHED },
      ],
    },
  ];
}

/** The users table's columns as DDL, so the bench's own tables carry exactly the stored row. */
async function usersColumns(ctx: BenchContext, fields: string[]): Promise<string> {
  const result = await ctx.stack.cassandra.execute(
    'SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [ctx.config.cassandra.keyspace, 'users'],
    { prepare: true },
  );
  const types = new Map(result.rows.map((row) => [String(row['column_name']), String(row['type'])]));
  const unknown = fields.map(snakeCase).filter((name) => !types.has(name));
  if (unknown.length > 0) {
    throw new Error(`users table columns (${[...types.keys()].join(', ')}) no longer match UserRow`);
  }
  return fields
    .map(
      (field) => `${snakeCase(field)} ${types.get(snakeCase(field))}${field === 'id' ? ' PRIMARY KEY' : ''}`,
    )
    .join(', ');
}

function insert(write: Write): string {
  const names = [...write.fields.map(snakeCase), ...(write.terms ? ['terms'] : [])];
  return `INSERT INTO ${write.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
}

function params(write: Write, row: UserRow): unknown[] {
  const values: unknown[] = write.fields.map((field) => row[field] ?? null);
  if (write.terms) {
    values.push(
      TERMS.flatMap(([prefix, field]) => (row[field] === null ? [] : [`${prefix}:${String(row[field])}`])),
    );
  }
  return values;
}

const tablesOf = (model: Model) => model.writes.map((write) => write.table).join(' + ');

export async function cassandraWriteCase(ctx: BenchContext): Promise<CaseOutcome> {
  const plan = ctx.settings.cassandra;
  const rows = Math.min(plan.rows, MAX_ROWS);
  const warmupRows = Math.min(plan.warmupRows, MAX_ROWS);
  progress(`${CASE}: transforming ${plan.poolSize.toLocaleString('en')} synthetic users into rows`);
  const pool = await userRows(`bench-rows-${ctx.prefix}`, plan.poolSize, randomUUID());
  const fields = Object.keys(pool[0]!) as (keyof UserRow)[];
  const columns = { row: await usersColumns(ctx, fields), searched: await usersColumns(ctx, SEARCHED) };
  const all = models(fields);
  for (const model of all) {
    for (const statement of model.ddl(columns)) {
      await ctx.stack.cassandra.execute(statement);
    }
  }

  const rates = new Map(all.map((model) => [model.id, { warmup: [] as number[], samples: [] as number[] }]));
  const total = plan.warmup + plan.rounds;
  for (let round = 0; round < total; round++) {
    const warmup = round < plan.warmup;
    const count = warmup ? warmupRows : rows;
    // new ids each round, so every round inserts new rows as the pipeline does (built before timing)
    const batch = Array.from({ length: count }, (_, i) => ({ ...pool[i % pool.length]!, id: randomUUID() }));
    const line: string[] = [];
    // each round starts with another model, so none always writes just after another's flush
    const order = all.map((_, i) => all[(i + round) % all.length]!);
    for (const model of order) {
      const queries = model.writes.map(insert);
      // each user's writes one after the other, as the pipeline sends them
      const statements = batch.flatMap((row) =>
        model.writes.map((write, i) => ({ query: queries[i]!, params: params(write, row) })),
      );
      const started = performance.now();
      await concurrent.executeConcurrent(ctx.stack.cassandra, statements, {
        concurrencyLevel: plan.concurrency,
        raiseOnFirstError: true,
      });
      const rate = perSecond(count, performance.now() - started);
      rates.get(model.id)![warmup ? 'warmup' : 'samples'].push(rate);
      line.push(`${tablesOf(model)} ${Math.round(rate).toLocaleString('en')}`);
    }
    progress(
      `${CASE}: ${warmup ? 'warm-up' : `round ${round - plan.warmup + 1}/${plan.rounds}`}: ${line.join(', ')} users/s`,
    );
  }

  const note = `${rows.toLocaleString('en')} users/model/round (a row each, both rows for the chosen model), prepared, executeConcurrent concurrency ${plan.concurrency}, models interleaved`;
  const unindexed = rates.get('cassandra.unindexed')!;
  const figures: Figure[] = all.map((model) => ({
    id: model.id,
    case: CASE,
    name: model.name,
    unit: model.writes.length > 1 ? 'users/s' : 'rows/s',
    ...rates.get(model.id)!,
    note: `${note}; ${tablesOf(model)}`,
  }));
  // each model over the unindexed row, round by round
  for (const model of all.slice(1)) {
    const own = rates.get(model.id)!;
    figures.push({
      id: `${model.id}.ratio`,
      case: CASE,
      name: `${model.name} / unindexed`,
      unit: 'x',
      samples: own.samples.map((rate, i) => rate / unindexed.samples[i]!),
      warmup: own.warmup.map((rate, i) => rate / unindexed.warmup[i]!),
      note: 'per round, same rows',
    });
  }
  const chosen = figures.find((figure) => figure.id === 'cassandra.model.ratio')!;
  const median = chosen.samples.length > 0 ? spread(chosen.samples).median : null;
  return {
    figures,
    notes: [
      `target (printed, not asserted): chosen model's INSERT ceiling >= 0.6x unindexed: ${median === null ? 'not measured' : `${median.toFixed(2)}x (${median >= 0.6 ? 'holds' : 'does not hold'})`}`,
    ],
  };
}
