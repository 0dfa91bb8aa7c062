'use client';

import { useQueryClient } from '@tanstack/react-query';
import { FINISHED_RUN_STATES, type RunCounters } from '@userstream/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { paramsSummary, STAGES } from '@/components/run-summary';
import { RunStateBadge } from '@/components/run-state-badge';
import { ProcessorsPanel } from '@/components/processors-panel';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { isNotFound, queryKeys, type RunPoll, useRun } from '@/lib/api/queries';
import { rerunRun, stopRun } from '@/lib/api/runs';
import { formatCount, formatDateTime, formatDuration } from '@/lib/format';
import { RunCurvePanel } from './run-curve';
import { RunEvents } from './run-events';

function StageBars({ counters }: { counters: RunCounters }) {
  const max = Math.max(1, ...STAGES.map(({ key }) => counters[key]));
  return (
    <ul aria-label="Users per stage" className="space-y-2">
      {STAGES.map(({ key, label }) => (
        <li key={key} className="grid grid-cols-[6.5rem_1fr_5.5rem] items-center gap-2 text-sm">
          <span className="text-slate-500">{label}</span>
          <span className="h-3 rounded bg-slate-100 dark:bg-slate-800">
            <span
              className={`block h-3 rounded ${key === 'deadLettered' ? 'bg-rose-500' : 'bg-indigo-500'}`}
              style={{ width: `${(counters[key] / max) * 100}%` }}
            />
          </span>
          <span data-testid={`run-counter-${key}`} className="text-right font-medium tabular-nums">
            {formatCount(counters[key])}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A message for a failed request. */
const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/** One run: counters polled every second until it has ended and its counters stop moving. */
export function RunDetail({ id }: { id: string }) {
  const query = useRun(id);
  const [actionError, setActionError] = useState<{ message: string; at: number }>();
  const [stopping, setStopping] = useState(false);
  const [rerunning, setRerunning] = useState(false);
  const router = useRouter();
  const client = useQueryClient();

  const run = query.data?.run;
  const settled = query.data?.settled ?? false;
  // one error shows at a time, the latest; a stop or re-run that failed shows until the next read succeeds
  const pollError = query.error ? { message: messageOf(query.error), at: query.errorUpdatedAt } : undefined;
  const laterAction = actionError && actionError.at > query.dataUpdatedAt ? actionError : undefined;
  const error =
    pollError && laterAction
      ? laterAction.at > pollError.at
        ? laterAction
        : pollError
      : (pollError ?? laterAction);
  const failed = (failure: unknown) => setActionError({ message: messageOf(failure), at: Date.now() });

  if (error === pollError && isNotFound(query.error)) {
    return <ErrorNotice title="Run not found">No run has the id {id}.</ErrorNotice>;
  }
  if (!run) {
    return (
      <div role="status" aria-label="Loading the run" className="space-y-4">
        {error && <ErrorNotice title="The run could not be loaded">{error.message}</ErrorNotice>}
        <Skeleton className="h-28 w-full" />
        <Skeleton className="h-48 w-full" />
      </div>
    );
  }

  const active = !FINISHED_RUN_STATES.includes(run.state);
  const stop = () => {
    setStopping(true);
    stopRun(run.id).then(
      (next) => {
        setStopping(false);
        client.setQueryData<RunPoll>(queryKeys.runs.detail(id), (previous) =>
          previous ? { ...previous, run: next } : previous,
        );
      },
      (failure: unknown) => {
        setStopping(false);
        failed(failure);
      },
    );
  };
  const rerun = () => {
    setRerunning(true);
    rerunRun(run.id).then(
      (next) => router.push(`/runs/${next.id}`),
      (failure: unknown) => {
        setRerunning(false);
        failed(failure);
      },
    );
  };
  return (
    <div className="space-y-6">
      {error && <ErrorNotice>{error.message}</ErrorNotice>}
      <Card className="flex flex-wrap items-start gap-x-8 gap-y-3">
        <dl className="grid flex-1 grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
          <dt className="text-slate-500">State</dt>
          <dd>
            <RunStateBadge state={run.state} />
          </dd>
          <dt className="text-slate-500">Source</dt>
          <dd>{run.source}</dd>
          <dt className="text-slate-500">Started</dt>
          <dd>{formatDateTime(run.startedAt)}</dd>
          <dt className="text-slate-500">Finished</dt>
          <dd>{formatDateTime(run.finishedAt)}</dd>
          <dt className="text-slate-500">Duration</dt>
          <dd className="tabular-nums">{formatDuration(run.durationMs)}</dd>
          <dt className="text-slate-500">Parameters</dt>
          <dd className="text-xs">
            {paramsSummary(run.params)}
            {run.params.seed && <span className="text-slate-500"> · seed {run.params.seed}</span>}
          </dd>
        </dl>
        <div className="flex flex-col items-end gap-2">
          {active && (
            <Button
              variant="danger"
              onClick={stop}
              disabled={stopping || run.state === 'stopping'}
              data-testid="stop-run"
            >
              {stopping || run.state === 'stopping' ? 'Stopping…' : 'Stop run'}
            </Button>
          )}
          <Button
            onClick={rerun}
            disabled={rerunning}
            data-testid="rerun"
            title="Start a new run with these parameters (and this seed)"
          >
            {rerunning ? 'Starting…' : 'Re-run with these parameters'}
          </Button>
          <p data-testid="run-settled" data-settled={settled} className="text-xs text-slate-500">
            {active
              ? 'updating every second'
              : settled
                ? 'final counts'
                : 'settling: processors are catching up'}
          </p>
        </div>
      </Card>
      {run.error && <ErrorNotice title="The run failed">{run.error}</ErrorNotice>}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="space-y-3">
          <h2 className="font-semibold">Counters per stage</h2>
          <StageBars counters={run.counters} />
        </Card>
        <RunCurvePanel runId={run.id} settled={settled} />
      </div>
      {active && <ProcessorsPanel />}
      <RunEvents runId={run.id} active={active} />
      {run.errors.length > 0 && (
        <Card className="space-y-2">
          <h2 className="font-semibold">Errors and retries ({run.errors.length})</h2>
          <ul className="max-h-64 space-y-1 overflow-auto text-xs">
            {run.errors.map((entry, index) => (
              <li key={index} className="flex gap-3">
                <span className="whitespace-nowrap text-slate-500 tabular-nums">
                  {formatDateTime(entry.at)}
                </span>
                <span>{entry.message}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
