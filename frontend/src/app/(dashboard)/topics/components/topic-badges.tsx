import type { TopicSummary } from '@userstream/contracts';

const badge = 'rounded-full px-2 py-0.5 text-xs font-medium';

/** Internal, pipeline and under-replicated marks of a topic. */
export function TopicBadges({
  topic,
}: {
  topic: Pick<TopicSummary, 'internal' | 'pipeline'> & { underReplicatedPartitions?: number };
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {topic.internal && (
        <span className={`${badge} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300`}>
          internal
        </span>
      )}
      {topic.pipeline && (
        <span className={`${badge} bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300`}>
          pipeline
        </span>
      )}
      {(topic.underReplicatedPartitions ?? 0) > 0 && (
        <span className={`${badge} bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200`}>
          {topic.underReplicatedPartitions} under-replicated
        </span>
      )}
    </span>
  );
}
