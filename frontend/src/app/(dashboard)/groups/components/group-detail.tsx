'use client';

import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { queryKeys, useConsumerGroup, useInvalidate } from '@/lib/api/queries';
import { useMe } from '@/lib/auth/use-me';
import { formatCount } from '@/lib/format';
import { GroupStateBadge } from './group-state-badge';
import { LagSparkline } from './lag-sparkline';
import { ResetOffsetsForm } from './reset-offsets-form';

const th = 'py-2 pr-3 font-semibold';

/** One group: members, lag per partition with its recent trend, and (admins) the offset reset. */
export function GroupDetailView({ groupId }: { groupId: string }) {
  const { data: group, error, isPending: loading } = useConsumerGroup(groupId);
  const invalidate = useInvalidate();
  const isAdmin = useMe()?.role === 'admin';

  if (loading) {
    return <SkeletonRows rows={6} label="Loading consumer group" />;
  }
  if (!group) {
    return <ErrorNotice title="Consumer group unavailable">{error?.message ?? 'Not found'}</ErrorNotice>;
  }
  const trendOf = (topic: string, partition: number) =>
    group.trend.partitions.find((entry) => entry.topic === topic && entry.partition === partition)?.lag ?? [];

  return (
    <div className="space-y-6">
      {error && <ErrorNotice title="Refresh failed">{error.message}</ErrorNotice>}
      <Card className="flex flex-wrap items-center gap-x-8 gap-y-3">
        <div className="text-sm">
          <p className="text-xs uppercase tracking-wide text-slate-500">State</p>
          <GroupStateBadge state={group.state} />
        </div>
        <div className="text-sm">
          <p className="text-xs uppercase tracking-wide text-slate-500">Members</p>
          <p className="font-semibold tabular-nums">{group.members}</p>
        </div>
        <div className="text-sm">
          <p className="text-xs uppercase tracking-wide text-slate-500">Total lag</p>
          <p className="font-semibold tabular-nums" data-testid="total-lag">
            {formatCount(group.totalLag)}
          </p>
        </div>
        <div className="text-sm">
          <p className="text-xs uppercase tracking-wide text-slate-500">Trend</p>
          <LagSparkline values={group.trend.total} label="Total lag trend" />
        </div>
      </Card>

      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Lag per partition</h2>
        {group.offsets.length === 0 ? (
          <EmptyState title="No committed offsets" />
        ) : (
          <div className="-mx-4 overflow-x-auto px-4">
            <table aria-label="Lag per partition" className="w-full min-w-[40rem] text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
                <tr>
                  <th scope="col" className={th}>
                    Topic
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Partition
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Committed
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    End
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Lag
                  </th>
                  <th scope="col" className={th}>
                    Trend
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {group.offsets.map((entry) => (
                  <tr key={`${entry.topic}:${entry.partition}`} data-testid="partition-lag-row">
                    <td className="py-2 pr-3 font-mono break-all">{entry.topic}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{entry.partition}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{entry.committed ?? '—'}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{entry.high}</td>
                    <td className="py-2 pr-3 text-right tabular-nums" data-testid="partition-lag">
                      {formatCount(entry.lag)}
                    </td>
                    <td className="py-2 pr-3">
                      <LagSparkline
                        values={trendOf(entry.topic, entry.partition)}
                        label={`Lag trend of ${entry.topic} partition ${entry.partition}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Members</h2>
        {group.memberDetails.length === 0 ? (
          <EmptyState title="No member is connected" />
        ) : (
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {group.memberDetails.map((member) => (
              <li key={member.memberId} className="py-2" data-testid="group-member">
                <p className="font-mono break-all">{member.clientId}</p>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  {member.host} ·{' '}
                  {member.assignments
                    .map(({ topic, partitions }) => `${topic} [${partitions.join(', ')}]`)
                    .join('; ') || 'no partitions assigned'}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Reset offsets</h2>
        {isAdmin ? (
          <ResetOffsetsForm group={group} onReset={() => void invalidate(queryKeys.groups.all)} />
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">Only admins can reset offsets.</p>
        )}
      </Card>
    </div>
  );
}
