import type { TopicConsumerGroup } from '@userstream/contracts';
import { EmptyState } from '@/components/ui/notice';
import { formatCount } from '@/lib/format';

/** Lag per partition as horizontal bars, scaled to the group's largest. */
function LagBars({ group }: { group: TopicConsumerGroup }) {
  const max = Math.max(1, ...group.partitions.map((p) => p.lag));
  return (
    <ul aria-label={`Lag per partition of ${group.groupId}`} className="space-y-1">
      {group.partitions.map((p) => (
        <li key={p.partition} className="grid grid-cols-[3.5rem_1fr_6rem] items-center gap-2 text-xs">
          <span className="text-slate-500">p{p.partition}</span>
          <span className="h-2.5 rounded bg-slate-100 dark:bg-slate-800">
            <span
              className={`block h-2.5 rounded ${p.lag > 0 ? 'bg-amber-500' : 'bg-emerald-500'}`}
              style={{ width: `${Math.max(p.lag > 0 ? 2 : 0, (p.lag / max) * 100)}%` }}
            />
          </span>
          <span
            className="text-right tabular-nums"
            title={p.committed === null ? 'nothing committed yet' : `committed ${p.committed} of ${p.high}`}
          >
            {formatCount(p.lag)}
            {p.committed === null && ' *'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Consumer groups reading this topic: state, members, total lag and lag per partition. */
export function ConsumerGroupsPanel({ groups }: { groups: TopicConsumerGroup[] }) {
  if (groups.length === 0) {
    return <EmptyState title="No consumer group reads this topic" />;
  }
  return (
    <ul className="grid gap-4 md:grid-cols-2">
      {groups.map((group) => (
        <li
          key={group.groupId}
          data-testid="consumer-group"
          className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-800"
        >
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="font-mono text-sm font-medium break-all">{group.groupId}</p>
            <p className="text-xs text-slate-500">
              {group.state} · {group.members} member{group.members === 1 ? '' : 's'}
            </p>
          </div>
          <p className="text-sm">
            Total lag <span className="font-semibold tabular-nums">{formatCount(group.lag)}</span>
          </p>
          <LagBars group={group} />
          {group.partitions.some((p) => p.committed === null) && (
            <p className="text-xs text-slate-500">* nothing committed: lag counted from the oldest record</p>
          )}
        </li>
      ))}
    </ul>
  );
}
