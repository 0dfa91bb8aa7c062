'use client';

import type { DeadLetterKind, DeadLetterSummary } from '@userstream/contracts';
import { Card } from '@/components/ui/card';
import { formatCount, formatDateTime } from '@/lib/format';
import { KIND_LABELS, runLabel } from './kind-labels';

const th = 'py-2 pr-3 font-semibold';

/** Letters per reason (a bar each) and per reason and run; choosing one filters the records below. */
export function DeadLetterGroups({
  summary,
  reason,
  runId,
  onChoose,
}: {
  summary: DeadLetterSummary;
  reason: string;
  runId: string;
  onChoose: (reason: DeadLetterKind | undefined, runId: string | undefined) => void;
}) {
  const byKind = new Map<DeadLetterKind, number>();
  for (const group of summary.groups) {
    byKind.set(group.kind, (byKind.get(group.kind) ?? 0) + group.count);
  }
  const kinds = [...byKind.entries()].sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...byKind.values());

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(16rem,1fr)_2fr]">
      <Card className="space-y-2">
        <h2 className="text-sm font-semibold">By reason</h2>
        <ul aria-label="Dead letters by reason" className="space-y-1">
          {kinds.map(([kind, count]) => (
            <li key={kind}>
              <button
                type="button"
                onClick={() => onChoose(reason === kind && !runId ? undefined : kind, undefined)}
                aria-pressed={reason === kind && !runId}
                data-testid="reason-bar"
                data-kind={kind}
                className="w-full rounded-md px-2 py-1 text-left text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-pressed:bg-indigo-50 dark:hover:bg-slate-800 dark:aria-pressed:bg-indigo-950"
              >
                <span className="flex justify-between gap-2">
                  <span>{KIND_LABELS[kind]}</span>
                  <span className="tabular-nums text-slate-600 dark:text-slate-300">
                    {formatCount(count)}
                  </span>
                </span>
                <span aria-hidden className="mt-1 block h-1.5 rounded bg-slate-100 dark:bg-slate-800">
                  <span
                    className="block h-1.5 rounded bg-rose-500 dark:bg-rose-400"
                    style={{ width: `${(count / max) * 100}%` }}
                  />
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
      <Card className="space-y-2">
        <h2 className="text-sm font-semibold">By reason and run</h2>
        <div
          className="relative -mx-4 max-h-80 overflow-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Dead letter groups, scrolls"
        >
          <table aria-label="Dead letter groups" className="w-full min-w-[36rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className={th}>
                  Reason
                </th>
                <th scope="col" className={th}>
                  Run
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Letters
                </th>
                <th scope="col" className={th}>
                  Last seen
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {summary.groups.map((group) => {
                const run = group.runId ?? 'none';
                const chosen = reason === group.kind && runId === run;
                return (
                  <tr
                    key={`${group.kind}/${run}`}
                    data-testid="group-row"
                    data-kind={group.kind}
                    data-run={run}
                    className={chosen ? 'bg-indigo-50 dark:bg-indigo-950' : undefined}
                  >
                    <td className="py-2 pr-3">
                      <button
                        type="button"
                        onClick={() => onChoose(group.kind, run)}
                        aria-pressed={chosen}
                        className="text-left font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        {KIND_LABELS[group.kind]}
                      </button>
                      <p
                        className="max-w-md truncate text-xs text-slate-500 dark:text-slate-400"
                        title={group.example}
                      >
                        {group.example}
                      </p>
                    </td>
                    <td
                      className="py-2 pr-3 font-mono text-xs"
                      title={group.runId ?? 'records sent outside a run'}
                    >
                      {runLabel(group.runId)}
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums" data-testid="group-count">
                      {formatCount(group.count)}
                    </td>
                    <td className="py-2 pr-3 text-xs text-slate-600 dark:text-slate-300">
                      {formatDateTime(group.lastSeen)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
