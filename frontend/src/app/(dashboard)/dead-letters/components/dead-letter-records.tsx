'use client';

import type { DeadLetterRecord } from '@userstream/contracts';
import { formatDateTime, shortId } from '@/lib/format';
import { KIND_LABELS, runLabel } from './kind-labels';
import { OriginalBytes } from './original-bytes';

function RedriveBadge({ record }: { record: DeadLetterRecord }) {
  if (!record.redrive) {
    return null;
  }
  const produced = record.redrive.state === 'produced';
  return (
    <span
      data-testid="redrive-state"
      title={`redrive ${record.redrive.id}`}
      className={`rounded px-1.5 py-0.5 text-xs font-medium ${
        produced
          ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
          : 'bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200'
      }`}
    >
      {produced ? 'redriven' : 'redrive pending'}
    </span>
  );
}

/** Letters with their reason and origin; each opens to the original bytes; admins select them to redrive. */
export function DeadLetterRecords({
  records,
  selected,
  selectable,
  onSelect,
}: {
  records: DeadLetterRecord[];
  selected: ReadonlySet<string>;
  selectable: boolean;
  onSelect: (next: ReadonlySet<string>) => void;
}) {
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) {
      next.add(id);
    } else {
      next.delete(id);
    }
    onSelect(next);
  };
  return (
    <ul
      aria-label="Dead letters"
      className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
    >
      {records.map((record) => (
        <li key={record.id} className="flex gap-3 p-3" data-testid="dead-letter" data-id={record.id}>
          <input
            type="checkbox"
            className="mt-1"
            aria-label={`Select dead letter ${record.id}`}
            checked={selected.has(record.id)}
            disabled={!selectable || record.valueTruncated || record.redrive !== null}
            onChange={(event) => toggle(record.id, event.target.checked)}
            data-testid="dead-letter-select"
          />
          <div className="min-w-0 flex-1 space-y-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">{KIND_LABELS[record.kind]}</span>
              <RedriveBadge record={record} />
              {record.redriveOf && (
                <span
                  className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800"
                  title={record.redriveOf}
                >
                  failed again after a redrive
                </span>
              )}
              <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">
                {formatDateTime(record.failedAt)}
              </span>
            </div>
            <p
              className="break-words text-sm text-slate-700 dark:text-slate-200"
              data-testid="dead-letter-reason"
            >
              {record.reason}
            </p>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              from <span className="font-mono">{record.source.topic}</span> [{record.source.partition}] @{' '}
              {record.source.offset} · run <span className="font-mono">{runLabel(record.runId)}</span>
              {record.key && (
                <>
                  {' '}
                  · key <span className="font-mono">{shortId(record.key)}</span>
                </>
              )}{' '}
              · letter {record.id}
            </p>
            <details>
              <summary className="cursor-pointer text-xs font-medium text-indigo-700 dark:text-indigo-300">
                Original bytes ({record.valueBytes} bytes)
              </summary>
              <div className="mt-2">
                <OriginalBytes record={record} />
              </div>
            </details>
          </div>
        </li>
      ))}
    </ul>
  );
}
