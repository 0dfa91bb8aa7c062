import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COLUMNS = [
  ['fault', 'fault'],
  ['produced', 'produced'],
  ['stored', 'stored'],
  ['duplicated', 'duplicated'],
  ['lost', 'lost'],
  ['unindexed', 'unindexed'],
  ['deadLettered', 'dead-lettered'],
  ['recoverySeconds', 'recovery s'],
  ['outcome', 'outcome'],
];

/** Prints what each fault did to the data: the table the suite exists for. */
export default () => {
  let lines;
  try {
    lines = readFileSync(fileURLToPath(new URL('./output/results.jsonl', import.meta.url)), 'utf8');
  } catch {
    return;
  }
  const rows = lines
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const cells = [
    COLUMNS.map(([, title]) => title),
    ...rows.map((row) =>
      COLUMNS.map(([key]) => {
        const value = row[key];
        if (value === null || value === undefined) {
          return '-';
        }
        return typeof value === 'number'
          ? value.toLocaleString('en', { maximumFractionDigits: 1 })
          : String(value);
      }),
    ),
  ];
  const widths = COLUMNS.map((_, col) => Math.max(...cells.map((row) => row[col].length)));
  const text = cells.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]))
      .join('  ')
      .trimEnd(),
  );
  text.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  process.stdout.write(`\nfaults: what each did to the data\n${text.join('\n')}\n\n`);
};
