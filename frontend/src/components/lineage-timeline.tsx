import type { LineageStage, UserLineage } from '@userstream/contracts';
import Link from 'next/link';
import { formatDateTime, formatLatency, formatTimeMs, shortId } from '@/lib/format';

const STAGE_LABELS: Record<LineageStage, string> = {
  fetched: 'Fetched',
  produced: 'Produced to Kafka',
  processed: 'Processed',
  stored: 'Stored in Cassandra',
};

/** A stored user's path through the pipeline, stage by stage, with the latency between stages. */
export function LineageTimeline({ lineage }: { lineage: UserLineage }) {
  const { kafka } = lineage;
  return (
    <div data-testid="lineage" className="space-y-3 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500 dark:text-slate-400">Run</dt>
        <dd>
          {lineage.runId ? (
            <Link
              href={`/runs/${lineage.runId}`}
              className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {shortId(lineage.runId)}
            </Link>
          ) : (
            'none (stored outside a run)'
          )}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Source</dt>
        <dd data-testid="lineage-source">{lineage.source}</dd>
      </dl>
      <ol
        aria-label="Pipeline stages"
        className="relative ml-1.5 border-l-2 border-slate-200 dark:border-slate-700"
      >
        {lineage.stages.map(({ stage, at, sincePreviousMs }) => (
          <li key={stage} data-testid={`lineage-stage-${stage}`} className="relative pb-4 pl-5 last:pb-0">
            <span
              aria-hidden
              className={`absolute top-1 -left-[7px] h-3 w-3 rounded-full ring-2 ring-white dark:ring-slate-900 ${
                at ? 'bg-indigo-500' : 'bg-slate-300 dark:bg-slate-600'
              }`}
            />
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <p className="font-medium">
                {STAGE_LABELS[stage]}
                {stage === 'fetched' && (
                  <span className="font-normal text-slate-500"> from {lineage.source}</span>
                )}
              </p>
              {sincePreviousMs !== null && (
                <p className="text-xs text-slate-500 tabular-nums dark:text-slate-400">
                  +{formatLatency(sincePreviousMs)}
                </p>
              )}
            </div>
            <p className="text-xs text-slate-600 tabular-nums dark:text-slate-300">
              {at ? (
                <time dateTime={at} title={formatDateTime(at)}>
                  {formatTimeMs(at)}
                </time>
              ) : (
                'not recorded'
              )}
            </p>
            {stage === 'produced' && (
              <p
                data-testid="lineage-kafka"
                className="mt-0.5 font-mono text-xs text-slate-600 dark:text-slate-300"
              >
                {kafka
                  ? `topic ${kafka.topic} · partition ${kafka.partition} · offset ${kafka.offset}`
                  : 'Kafka position not recorded'}
              </p>
            )}
          </li>
        ))}
      </ol>
      <p className="text-slate-600 dark:text-slate-300">
        Total, first to last stage:{' '}
        <span data-testid="lineage-total" className="font-medium tabular-nums">
          {formatLatency(lineage.totalMs)}
        </span>
      </p>
    </div>
  );
}
