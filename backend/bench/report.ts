/**
 * What a benchmark run reports: figures (samples of one measured quantity), ratios between figures,
 * targets, the aligned table printed on stdout and the JSON result file (pure; report.spec.ts).
 */
import { z } from 'zod';
import { type Spread, ratio, spread } from './stats.js';

export const Figure = z.object({
  /** Stable key, e.g. `produce.ceiling`; ratios and targets refer to figures by it. */
  id: z.string().min(1),
  case: z.string().min(1),
  name: z.string().min(1),
  unit: z.string(),
  /** The measured rounds (or the per-window, per-client or per-sample values said in `note`). */
  samples: z.array(z.number()),
  /** Warm-up rounds: measured, kept, never summarised. */
  warmup: z.array(z.number()),
  note: z.string().optional(),
  /** Every individual value behind a percentile figure (each record's latency, ms). */
  distribution: z.array(z.number()).optional(),
});
export type Figure = z.infer<typeof Figure>;

const SpreadSchema = z.object({ median: z.number(), min: z.number(), max: z.number(), n: z.number() });

export const Ratio = z.object({
  id: z.string().min(1),
  case: z.string().min(1),
  name: z.string().min(1),
  /** Median of `of` over median of `to`. */
  of: z.string(),
  to: z.string(),
  value: z.number().nullable(),
});
export type Ratio = z.infer<typeof Ratio>;

export const Target = z.object({
  name: z.string(),
  /** The measured value compared, null when its case did not run. */
  measured: z.number().nullable(),
  limit: z.string(),
  holds: z.boolean().nullable(),
});
export type Target = z.infer<typeof Target>;

export const BenchResultFile = z.object({
  schema: z.literal(1),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  mode: z.enum(['quick', 'full']),
  versions: z.record(z.string(), z.string()),
  machine: z.object({
    cpus: z.number(),
    memoryMb: z.number(),
    loadAverageStart: z.array(z.number()),
    loadAverageEnd: z.array(z.number()),
  }),
  settings: z.record(z.string(), z.unknown()),
  figures: z.array(Figure.extend({ summary: SpreadSchema.nullable() })),
  ratios: z.array(Ratio),
  targets: z.array(Target),
  notes: z.array(z.string()),
});
export type BenchResultFile = z.infer<typeof BenchResultFile>;

export function summary(figure: Figure): Spread | null {
  return figure.samples.length > 0 ? spread(figure.samples) : null;
}

/** Median of one figure over the median of another; null when either is missing. */
export function ratioOf(
  figures: readonly Figure[],
  id: string,
  name: string,
  of: string,
  to: string,
  caseName: string,
): Ratio {
  const a = figures.find((figure) => figure.id === of);
  const b = figures.find((figure) => figure.id === to);
  const sa = a && summary(a);
  const sb = b && summary(b);
  return { id, case: caseName, name, of, to, value: sa && sb ? ratio(sa.median, sb.median) : null };
}

export function medianOf(figures: readonly Figure[], id: string): number | null {
  const figure = figures.find((f) => f.id === id);
  return (figure && summary(figure)?.median) ?? null;
}

/** A target is met when its value is at least (`>=`) or at most (`<=`) the limit. */
export function target(
  name: string,
  measured: number | null,
  op: '>=' | '<=',
  limit: number,
  unit: string,
): Target {
  const holds = measured === null ? null : op === '>=' ? measured >= limit : measured <= limit;
  return { name, measured, limit: `${op} ${limit.toLocaleString('en')} ${unit}`.trim(), holds };
}

function formatNumber(value: number, unit: string): string {
  if (unit === 'x') {
    return value.toFixed(2);
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 100) {
    return Math.round(value).toLocaleString('en');
  }
  if (magnitude >= 10) {
    return value.toFixed(1);
  }
  return value.toFixed(2);
}

/** The table's rows: one per figure (median, min, max of its samples), then one per ratio. */
export function tableRows(figures: readonly Figure[], ratios: readonly Ratio[]): string[][] {
  const header = ['case', 'figure', 'unit', 'median', 'min', 'max', 'n'];
  const rows = figures.map((figure) => {
    const s = summary(figure);
    const cell = (value: number | undefined) =>
      value === undefined ? '-' : formatNumber(value, figure.unit);
    return [
      figure.case,
      figure.name,
      figure.unit,
      cell(s?.median),
      cell(s?.min),
      cell(s?.max),
      String(s?.n ?? 0),
    ];
  });
  const ratioRows = ratios.map((r) => [
    r.case,
    r.name,
    'x',
    r.value === null ? '-' : formatNumber(r.value, 'x'),
    '',
    '',
    '',
  ]);
  return [header, ...rows, ...ratioRows];
}

/** Aligned text: text columns to the left, number columns to the right. */
export function formatTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const numeric = (column: number) => column >= 3;
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export function formatTargets(targets: readonly Target[]): string {
  return targets
    .map((t) => {
      const verdict = t.holds === null ? 'NOT MEASURED' : t.holds ? 'holds' : 'MISSED';
      const measured = t.measured === null ? '-' : formatNumber(t.measured, '');
      return `  ${verdict.padEnd(12)} ${t.name}: ${measured} (target ${t.limit})`;
    })
    .join('\n');
}

/** `2026-05-01T12-04-05Z.json`: sortable, and legal in every file system. */
export function resultFileName(at: Date): string {
  return `${at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')}.json`;
}

export interface ResultInput {
  startedAt: Date;
  finishedAt: Date;
  mode: 'quick' | 'full';
  versions: Record<string, string>;
  machine: BenchResultFile['machine'];
  settings: Record<string, unknown>;
  figures: Figure[];
  ratios: Ratio[];
  targets: Target[];
  notes: string[];
}

/** The result file's content, checked against its schema. */
export function buildResultFile(input: ResultInput): BenchResultFile {
  return BenchResultFile.parse({
    schema: 1,
    ...input,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    figures: input.figures.map((figure) => ({ ...figure, summary: summary(figure) })),
  });
}
