'use client';

import {
  HISTORY_RANGES,
  type HistoryRange,
  type LiveHistory,
  type LiveStats,
  type ThroughputPoint,
} from '@userstream/contracts';
import { useEffect, useState } from 'react';
import { LineChart } from '@/components/line-chart';
import { stageRateSeries } from '@/components/stage-rate-series';
import { Card } from '@/components/ui/card';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { useLiveHistory } from '@/lib/api/queries';
import { formatCount, formatDuration, formatLatency, formatRate } from '@/lib/format';

const TEN_MINUTES = 10 * 60_000;

const drain = (seconds: number | null) =>
  seconds === null ? 'not draining' : seconds === 0 ? 'none' : formatDuration(seconds * 1000);

/**
 * Throughput, lag (in records and in time to drain) and ingest-to-stored latency over time, kept by the
 * backend across restarts. The 10 minute view appends each `stats` point as it comes (a redraw per second);
 * the longer ones show the server's downsampled history.
 */
export function ThroughputPanel({
  stats,
  className = '',
}: {
  stats: LiveStats | undefined;
  className?: string;
}) {
  const [range, setRange] = useState<HistoryRange>('10m');
  const { data: history, error: failure } = useLiveHistory(range);
  const error = failure ? failure.message : undefined;
  // what is drawn: each history answer as it comes (none while a range loads), then the live points below
  const [points, setPoints] = useState<ThroughputPoint[]>();
  const [shown, setShown] = useState<LiveHistory>();
  if (history !== shown) {
    setShown(history);
    setPoints(history?.points);
  }

  useEffect(() => {
    if (!stats || range !== '10m') {
      return;
    }
    const point: ThroughputPoint = {
      t: stats.t,
      rates: stats.rates,
      streamRate: stats.streamRate,
      lag: stats.lag,
      drainSeconds: stats.drainSeconds,
      latencyMs: stats.latencyMs,
    };
    setPoints((previous) => {
      if (!previous) {
        return previous;
      }
      const kept = previous.filter((p) => p.t > stats.t - TEN_MINUTES && p.t < stats.t);
      return [...kept, point];
    });
  }, [stats, range]);

  const times = points?.map((p) => p.t) ?? [];
  return (
    <Card className={`space-y-4 ${className}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Throughput</h2>
        <div
          role="group"
          aria-label="Time range"
          className="inline-flex rounded-md border border-slate-200 p-0.5 dark:border-slate-700"
        >
          {HISTORY_RANGES.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={range === option}
              onClick={() => setRange(option)}
              className={`rounded px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
                range === option
                  ? 'bg-indigo-600 text-white dark:bg-indigo-500'
                  : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {option}
            </button>
          ))}
        </div>
      </div>
      {error && !points && <ErrorNotice title="History unavailable">{error}</ErrorNotice>}
      {!points && !error ? (
        <div role="status" aria-label="Loading history" className="space-y-2">
          <Skeleton className="h-48 w-full" />
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ) : points && points.length < 2 ? (
        <p className="flex h-48 items-center justify-center text-sm text-slate-500">Collecting data…</p>
      ) : points ? (
        <>
          <LineChart
            testId="throughput-chart"
            label="Users per second"
            times={times}
            series={stageRateSeries(points)}
            formatValue={formatRate}
          />
          <LineChart
            testId="lag-chart"
            label="Consumer lag"
            height="h-20"
            times={times}
            series={[
              {
                key: 'lag',
                label: 'lag (records)',
                stroke: 'stroke-amber-500',
                swatch: 'bg-amber-500',
                fill: 'fill-amber-500',
                values: points.map((p) => p.lag),
              },
            ]}
            formatValue={formatCount}
            details={(i) => [{ label: 'time to drain', value: drain(points[i]!.drainSeconds) }]}
          />
          <LineChart
            testId="latency-chart"
            label="Ingest to stored latency"
            height="h-20"
            minScale={100}
            times={times}
            series={[
              {
                key: 'p50',
                label: 'p50',
                stroke: 'stroke-violet-500',
                swatch: 'bg-violet-500',
                values: points.map((p) => p.latencyMs?.p50 ?? null),
              },
              {
                key: 'p99',
                label: 'p99',
                stroke: 'stroke-fuchsia-400',
                swatch: 'bg-fuchsia-400',
                values: points.map((p) => p.latencyMs?.p99 ?? null),
              },
            ]}
            formatValue={formatLatency}
          />
        </>
      ) : null}
    </Card>
  );
}
