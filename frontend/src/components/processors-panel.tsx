'use client';

import type { PartitionLag } from '@userstream/contracts';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useProcessors } from '@/lib/api/queries';
import { formatCount } from '@/lib/format';

const th = 'py-2 pr-3 font-semibold';

/** kafkajs member ids are `<client id>-<uuid>`: the uuid's tail tells processors apart. */
const shortMember = (memberId: string) => `…${memberId.slice(-8)}`;

function byTopic(partitions: PartitionLag[]): [string, PartitionLag[]][] {
  const groups = new Map<string, PartitionLag[]>();
  for (const entry of partitions) {
    groups.set(entry.topic, [...(groups.get(entry.topic) ?? []), entry]);
  }
  return [...groups];
}

/** Partitions with their lag, one line per topic. */
function PartitionChips({ partitions }: { partitions: PartitionLag[] }) {
  if (partitions.length === 0) {
    return <span className="text-slate-500 dark:text-slate-400">none yet</span>;
  }
  return (
    <div className="space-y-1">
      {byTopic(partitions).map(([topic, entries]) => (
        <div key={topic} className="flex flex-wrap items-center gap-1">
          <span className="mr-1 font-mono text-xs text-slate-500 dark:text-slate-400">{topic}</span>
          {entries.map((entry) => (
            <span
              key={entry.partition}
              data-testid="processor-partition"
              data-topic={entry.topic}
              data-partition={entry.partition}
              title={`partition ${entry.partition}: committed ${entry.committed ?? 'nothing'} of ${entry.high}`}
              className={`rounded px-1.5 py-0.5 text-xs tabular-nums ${
                entry.lag > 0
                  ? 'bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200'
                  : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
              }`}
            >
              {entry.partition} · {formatCount(entry.lag)}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}

/**
 * Which processor owns which partitions of the input topics, and the lag of each (end offset - committed);
 * polled. Partitions no processor owns (none running, or a rebalance under way) are listed apart.
 */
export function ProcessorsPanel({ intervalMs }: { intervalMs?: number }) {
  const { data, error, isPending: loading } = useProcessors(intervalMs);
  return (
    <Card className="space-y-3" data-testid="processors-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Processors</h2>
        {data && (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            group <span className="font-mono">{data.groupId}</span> · {data.state} · total lag{' '}
            <span data-testid="processors-total-lag" className="tabular-nums">
              {formatCount(data.totalLag)}
            </span>
          </p>
        )}
      </div>
      {error && (
        <ErrorNotice title={data ? 'Refresh failed' : 'Processors unavailable'}>{error.message}</ErrorNotice>
      )}
      {loading ? (
        <SkeletonRows rows={2} label="Loading processors" />
      ) : data && data.members.length === 0 ? (
        <EmptyState title="No processor is running">
          Start one with <code className="font-mono">npm run start:processor</code>.
        </EmptyState>
      ) : data ? (
        <div
          className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Processors, scrolls sideways on narrow screens"
        >
          <table aria-label="Processors" className="w-full min-w-[36rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className={th}>
                  Processor
                </th>
                <th scope="col" className={th}>
                  Partitions · lag
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Lag
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {data.members.map((member) => (
                <tr key={member.memberId} data-testid="processor-row" className="align-top">
                  <td className="py-2 pr-3">
                    <p className="font-mono" title={member.memberId}>
                      {member.clientId} <span className="text-slate-500">{shortMember(member.memberId)}</span>
                    </p>
                    <p className="text-xs text-slate-500 dark:text-slate-400">
                      {member.host.replace(/^\//, '')}
                    </p>
                  </td>
                  <td className="py-2 pr-3">
                    <PartitionChips partitions={member.partitions} />
                  </td>
                  <td className="py-2 text-right tabular-nums" data-testid="processor-lag">
                    {formatCount(member.lag)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && data.unassigned.length > 0 && (
        <div className="text-sm" data-testid="processors-unassigned">
          <p className="mb-1 font-medium">Not owned by any processor</p>
          <PartitionChips partitions={data.unassigned} />
        </div>
      )}
    </Card>
  );
}
