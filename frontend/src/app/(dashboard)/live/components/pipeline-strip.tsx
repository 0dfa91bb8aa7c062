'use client';

import type { LiveStats } from '@userstream/contracts';
import type { ReactNode } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorNotice } from '@/components/ui/notice';
import { formatCount, formatDuration, formatRate } from '@/lib/format';
import { useLiveConnectionState } from '@/lib/live/live-provider';

function Stage({
  id,
  name,
  rate,
  rateLabel,
  children,
}: {
  id: string;
  name: string;
  rate: number | undefined;
  rateLabel: string;
  children?: ReactNode;
}) {
  return (
    <li
      data-testid={`stage-${id}`}
      className="relative flex-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{name}</h3>
      {rate === undefined ? (
        <Skeleton className="mt-2 h-8 w-24" />
      ) : (
        <p className="mt-1 text-2xl font-semibold tabular-nums">
          <span data-testid={`rate-${id}`}>{formatRate(rate)}</span>
          <span className="ml-1 text-sm font-normal text-slate-500">{rateLabel}</span>
        </p>
      )}
      <div className="mt-1 space-y-0.5 text-xs text-slate-500 dark:text-slate-400">{children}</div>
    </li>
  );
}

function Arrow() {
  return (
    <li aria-hidden className="hidden items-center text-slate-300 md:flex dark:text-slate-600">
      <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth={2}>
        <path d="M5 12h14m-5-5 5 5-5 5" />
      </svg>
    </li>
  );
}

function drainText(stats: LiveStats): string {
  if (stats.lag === null) {
    return 'lag unknown';
  }
  if (stats.lag === 0) {
    return 'caught up';
  }
  return stats.drainSeconds === null
    ? 'not draining'
    : `drains in ~${formatDuration(stats.drainSeconds * 1000)}`;
}

/** Source -> Kafka -> processor -> Cassandra, with the rates of the last seconds and the backlog. */
export function PipelineStrip({ stats }: { stats: LiveStats | undefined }) {
  const { state, error, url } = useLiveConnectionState();
  const rates = stats?.rates;
  return (
    <section aria-labelledby="pipeline-title" className="space-y-3">
      <h2 id="pipeline-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
        Pipeline
      </h2>
      {state === 'disconnected' && (
        <ErrorNotice title="No live connection">
          The dashboard cannot reach the backend&apos;s live stream at {url}
          {error ? ` (${error})` : ''}. It keeps retrying.
        </ErrorNotice>
      )}
      <ol className="flex flex-col gap-2 md:flex-row md:items-stretch">
        <Stage id="source" name="Source" rate={rates?.fetched} rateLabel="fetched/s">
          <p>
            {stats ? `${stats.activeRuns.length} active run${stats.activeRuns.length === 1 ? '' : 's'}` : ' '}
          </p>
        </Stage>
        <Arrow />
        <Stage id="kafka" name="Kafka" rate={rates?.produced} rateLabel="produced/s">
          <p>
            lag{' '}
            <span data-testid="lag" className="font-medium text-slate-700 tabular-nums dark:text-slate-200">
              {stats ? (stats.lag === null ? '?' : formatCount(stats.lag)) : '…'}
            </span>
          </p>
          <p data-testid="drain">{stats ? drainText(stats) : ' '}</p>
        </Stage>
        <Arrow />
        <Stage id="processor" name="Processor" rate={rates?.processed} rateLabel="processed/s">
          <p>
            dead-lettered{' '}
            <span className="font-medium tabular-nums">
              {rates ? `${formatRate(rates.deadLettered)}/s` : '…'}
            </span>
          </p>
        </Stage>
        <Arrow />
        <Stage id="cassandra" name="Cassandra" rate={rates?.stored} rateLabel="stored/s">
          <p>
            stream <span className="tabular-nums">{stats ? `${formatRate(stats.streamRate)}/s` : '…'}</span>
          </p>
        </Stage>
      </ol>
      {stats && stats.problems.length > 0 && (
        <ul className="text-xs text-amber-700 dark:text-amber-300">
          {stats.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
