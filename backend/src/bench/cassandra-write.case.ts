/**
 * Case 2a, Cassandra write ceiling: the users table's full-row INSERT (the statement UsersRepository
 * prepares: every column, bound values) through cassandra-driver's executeConcurrent at a tuned
 * concurrency, with rows the processor's own transform produced. Every round writes new ids.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { concurrent } from 'cassandra-driver';
import type { UserRow } from '../processing/user-transform.js';
import { userRows } from './bench-data.js';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { inRounds, progress } from './harness.js';
import { perSecond } from './stats.js';

const CASE = '2 cassandra';

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The INSERT of every field of a row, checked against the table so a schema change fails loudly. */
async function insertStatement(
  ctx: BenchContext,
  sample: UserRow,
): Promise<{ cql: string; fields: string[] }> {
  const fields = Object.keys(sample);
  const result = await ctx.stack.cassandra.execute(
    'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [ctx.config.cassandra.keyspace, 'users'],
    { prepare: true },
  );
  const columns = new Set(result.rows.map((row) => String(row['column_name'])));
  const names = fields.map(snakeCase);
  const unknown = names.filter((name) => !columns.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `users table columns (${[...columns].join(', ')}) no longer match UserRow (${names.join(', ')})`,
    );
  }
  return {
    cql: `INSERT INTO users (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    fields,
  };
}

export async function cassandraWriteCase(ctx: BenchContext): Promise<CaseOutcome> {
  const plan = ctx.settings.cassandra;
  progress(`${CASE}: transforming ${plan.poolSize.toLocaleString('en')} synthetic users into rows`);
  const pool = userRows(`bench-rows-${ctx.prefix}`, plan.poolSize, randomUUID());
  const { cql, fields } = await insertStatement(ctx, pool[0]!);
  const poolParams = pool.map((row) => fields.map((field) => row[field as keyof UserRow] ?? null));
  const idIndex = fields.indexOf('id');

  const writeRound = async (_: number, warmup: boolean): Promise<number> => {
    const count = warmup ? plan.warmupRows : plan.rows;
    // new ids each round, so every round inserts new rows as the pipeline does (built before timing)
    const params = Array.from({ length: count }, (_, i) => {
      const values = poolParams[i % poolParams.length]!.slice();
      values[idIndex] = randomUUID();
      return values;
    });
    const started = performance.now();
    await concurrent.executeConcurrent(ctx.stack.cassandra, cql, params, {
      concurrencyLevel: plan.concurrency,
      raiseOnFirstError: true,
    });
    return perSecond(count, performance.now() - started);
  };
  const ceiling = await inRounds(`${CASE}: executeConcurrent ceiling`, plan, 'rows/s', writeRound);
  return {
    figures: [
      {
        id: 'cassandra.ceiling',
        case: CASE,
        name: 'cassandra-driver INSERT ceiling',
        unit: 'rows/s',
        ...ceiling,
        note: `${plan.rows.toLocaleString('en')} rows/round, ${fields.length} columns, prepared, executeConcurrent concurrency ${plan.concurrency}`,
      },
    ],
  };
}
