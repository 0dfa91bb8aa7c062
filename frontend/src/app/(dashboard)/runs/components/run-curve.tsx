'use client';

import { LineChart } from '@/components/line-chart';
import { stageRateSeries } from '@/components/stage-rate-series';
import { Card } from '@/components/ui/card';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { useRunCurve } from '@/lib/api/queries';
import { formatCount, formatDuration, formatRate } from '@/lib/format';

const drain = (seconds: number | null) =>
  seconds === null ? 'not draining' : seconds === 0 ? 'none' : formatDuration(seconds * 1000);

/**
 * A run's own curve, as the backend keeps it (so a finished run shows it after a restart too): rates per
 * stage and its backlog, in records and in time to drain. Refreshed while the run's counters still move.
 */
export function RunCurvePanel({ runId, settled }: { runId: string; settled: boolean }) {
  const { data: curve, error: failure } = useRunCurve(runId, settled);
  const error = failure ? failure.message : undefined;

  const points = curve?.points ?? [];
  const times = points.map((p) => p.t);
  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">Run curve</h2>
        {curve && points.length > 1 && (
          <span className="text-xs text-slate-500">
            {curve.bucketSeconds === 1 ? 'one point per second' : `one point per ${curve.bucketSeconds} s`}
          </span>
        )}
      </div>
      {error && <ErrorNotice title="The run curve could not be loaded">{error}</ErrorNotice>}
      {!curve && !error ? (
        <div role="status" aria-label="Loading the run curve" className="space-y-2">
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ) : curve && points.length < 2 ? (
        <p data-testid="run-curve-empty" className="py-8 text-center text-sm text-slate-500">
          {settled
            ? 'No curve is kept for this run: it ended longer ago than the history retention, or before curves were recorded.'
            : 'Collecting…'}
        </p>
      ) : curve ? (
        <>
          <LineChart
            testId="run-rate-chart"
            label="Users per second"
            height="h-40"
            times={times}
            series={stageRateSeries(points)}
            formatValue={formatRate}
            details={(i) => [{ label: 'stored so far', value: formatCount(points[i]!.counters.stored) }]}
          />
          <LineChart
            testId="run-lag-chart"
            label="Backlog: produced, not yet processed"
            height="h-20"
            times={times}
            series={[
              {
                key: 'lag',
                label: 'backlog (records)',
                stroke: 'stroke-amber-500',
                swatch: 'bg-amber-500',
                fill: 'fill-amber-500',
                values: points.map((p) => p.lag),
              },
            ]}
            formatValue={formatCount}
            details={(i) => [{ label: 'time to drain', value: drain(points[i]!.drainSeconds) }]}
          />
        </>
      ) : null}
    </Card>
  );
}
