'use client';

import type { UserStatsGroup } from '@userstream/contracts';
import { Card } from '@/components/ui/card';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { useUserStats } from '@/lib/api/queries';
import { formatCount } from '@/lib/format';

const TOP = 8;

function Bars({ group, label }: { group: UserStatsGroup; label: string }) {
  const top = group.buckets.filter((bucket) => bucket.count > 0).slice(0, TOP);
  if (top.length === 0) {
    return <p className="text-sm text-slate-500">No data yet.</p>;
  }
  const max = Math.max(...top.map((bucket) => bucket.count));
  return (
    <ul aria-label={label} className="space-y-1.5">
      {top.map(({ value, count }) => (
        <li key={value} className="grid grid-cols-[7rem_1fr_4rem] items-center gap-2 text-xs">
          <span className="truncate" title={value}>
            {value}
          </span>
          <span className="h-2.5 rounded bg-slate-100 dark:bg-slate-800">
            <span
              className="block h-2.5 rounded bg-indigo-500"
              style={{ width: `${(count / max) * 100}%` }}
            />
          </span>
          <span className="text-right tabular-nums">{formatCount(count)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Totals of what Cassandra holds, whatever the filters. */
export function UserStatsPanel() {
  const { data, error, isPending: loading } = useUserStats();
  return (
    <Card className="space-y-4">
      <div>
        <h2 className="font-semibold">Stored users</h2>
        {loading ? (
          <Skeleton className="mt-1 h-8 w-24" />
        ) : (
          <p data-testid="users-total" className="text-3xl font-semibold tabular-nums">
            {data ? formatCount(data.total) : '–'}
          </p>
        )}
        {data && (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {data.byGender.buckets
              .filter((bucket) => bucket.count > 0)
              .map((bucket) => `${formatCount(bucket.count)} ${bucket.value}`)
              .join(' · ')}
          </p>
        )}
      </div>
      {error && <ErrorNotice title="Statistics unavailable">{error.message}</ErrorNotice>}
      <div className="space-y-2">
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
          Top countries
        </h3>
        {loading ? (
          <Skeleton className="h-32 w-full" />
        ) : data ? (
          <Bars group={data.byCountry} label="Users per country, most first" />
        ) : null}
      </div>
    </Card>
  );
}
