import type { RunCounters, RunParams } from '@userstream/contracts';
import { formatCount } from '@/lib/format';

/** "2,000/s · batch 500 · 20,000 users · 60 s · FR, DE · seed format" */
export function paramsSummary(params: RunParams): string {
  const parts = [`${formatCount(params.ratePerSecond)}/s`, `batch ${formatCount(params.batchSize)}`];
  if (params.maxRecords !== undefined) {
    parts.push(`${formatCount(params.maxRecords)} users`);
  }
  if (params.durationSeconds !== undefined) {
    parts.push(`${formatCount(params.durationSeconds)} s`);
  }
  if (params.nationalities) {
    parts.push(params.nationalities.join(', '));
  }
  if (params.format === 'seed') {
    parts.push('seed format');
  }
  return parts.join(' · ');
}

export const STAGES: { key: keyof RunCounters; label: string }[] = [
  { key: 'fetched', label: 'Fetched' },
  { key: 'produced', label: 'Produced' },
  { key: 'processed', label: 'Processed' },
  { key: 'stored', label: 'Stored' },
  { key: 'deadLettered', label: 'Dead-lettered' },
];

/** Counters per stage, compact, for tables. */
export function CountersInline({ counters }: { counters: RunCounters }) {
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs tabular-nums">
      {STAGES.map(({ key, label }) => (
        <div key={key} className="whitespace-nowrap">
          <dt className="inline text-slate-500">{label} </dt>
          <dd
            data-testid={`counter-${key}`}
            className={`inline font-medium ${key === 'deadLettered' && counters[key] > 0 ? 'text-rose-600 dark:text-rose-400' : ''}`}
          >
            {formatCount(counters[key])}
          </dd>
        </div>
      ))}
    </dl>
  );
}
