'use client';

import { RUN_STATES, RunState } from '@userstream/contracts';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { CountersInline, paramsSummary } from '@/components/run-summary';
import { RunStateBadge } from '@/components/run-state-badge';
import { Card } from '@/components/ui/card';
import { controlClass } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useRuns } from '@/lib/api/queries';
import { formatDateTime, formatDuration, shortId } from '@/lib/format';
import { Pager } from '@/components/ui/pager';

const PAGE_SIZE = 15;

/** Run history, newest first; page and state filter live in the URL. Refreshed every 3 s. */
export function RunsTable() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const stateParam = RunState.safeParse(params.get('state'));
  const state = stateParam.success ? stateParam.data : undefined;
  const { data, error, isPending: loading } = useRuns(page, PAGE_SIZE, state);

  const go = (next: { page?: number; state?: RunState | undefined }) => {
    const query = new URLSearchParams(params);
    if (next.page !== undefined) {
      query.set('page', String(next.page));
    }
    if ('state' in next) {
      if (next.state) {
        query.set('state', next.state);
      } else {
        query.delete('state');
      }
      query.set('page', '1');
    }
    router.replace(`${pathname}?${query}`, { scroll: false });
  };

  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="runs-title" className="font-semibold">
          History
        </h2>
        <label className="flex items-center gap-2 text-sm">
          State
          <select
            className={`${controlClass} w-36`}
            value={state ?? ''}
            onChange={(event) => go({ state: RunState.safeParse(event.target.value).data })}
          >
            <option value="">all</option>
            {RUN_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorNotice title="Runs unavailable">{error.message}</ErrorNotice>}
      {loading ? (
        <SkeletonRows rows={6} label="Loading runs" />
      ) : data && data.items.length === 0 ? (
        <EmptyState title={state ? `No ${state} runs` : 'No runs yet'}>
          Start one from the Live page.
        </EmptyState>
      ) : data ? (
        <div
          className="-mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Run history, scrolls sideways on narrow screens"
        >
          <table aria-labelledby="runs-title" className="w-full min-w-[48rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Run
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  State
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Parameters
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Counters
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Started
                </th>
                <th scope="col" className="py-2 pr-3 font-semibold">
                  Duration
                </th>
                <th scope="col" className="py-2 font-semibold">
                  Errors
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {data.items.map((run) => (
                <tr key={run.id} data-testid="run-row" data-run-id={run.id} className="align-top">
                  <td className="py-2 pr-3">
                    <Link
                      href={`/runs/${run.id}`}
                      className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
                      aria-label={`Run ${shortId(run.id)}`}
                    >
                      {shortId(run.id)}
                    </Link>
                    {run.scheduleId && <p className="text-xs text-slate-500">scheduled</p>}
                  </td>
                  <td className="py-2 pr-3">
                    <RunStateBadge state={run.state} />
                  </td>
                  <td className="py-2 pr-3 text-xs">
                    <p className="font-medium">{run.source}</p>
                    <p className="text-slate-500">{paramsSummary(run.params)}</p>
                  </td>
                  <td className="max-w-[20rem] py-2 pr-3">
                    <CountersInline counters={run.counters} />
                  </td>
                  <td className="py-2 pr-3 text-xs whitespace-nowrap">{formatDateTime(run.startedAt)}</td>
                  <td className="py-2 pr-3 text-xs whitespace-nowrap tabular-nums">
                    {formatDuration(run.durationMs)}
                  </td>
                  <td className="max-w-[16rem] py-2 text-xs">
                    {run.error ? (
                      <p className="text-rose-600 dark:text-rose-400">{run.error}</p>
                    ) : run.errors.length > 0 ? (
                      <p className="text-amber-700 dark:text-amber-300" title={run.errors.at(-1)?.message}>
                        {run.errors.length} retried
                      </p>
                    ) : (
                      <span className="text-slate-400">–</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (
        <Pager
          label="Run history pages"
          page={page}
          pageSize={PAGE_SIZE}
          total={data.total}
          noun="runs"
          onPage={(next) => go({ page: next })}
        />
      )}
    </Card>
  );
}
