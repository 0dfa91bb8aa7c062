'use client';

import type { Run } from '@userstream/contracts';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { RunParamsFields } from '@/components/run-params-fields';
import { RunStateBadge } from '@/components/run-state-badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { startRun, stopRun } from '@/lib/api/runs';
import { formatCount, shortId } from '@/lib/format';
import {
  DEFAULT_RUN_PARAMS,
  errorsFromApi,
  type FieldErrors,
  parseRunParams,
  type RunParamsDraft,
} from '@/lib/forms/run-params';

function ActiveRun({ run }: { run: Run }) {
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string>();
  const stop = () => {
    setStopping(true);
    setError(undefined);
    stopRun(run.id).then(
      () => setStopping(false),
      (failure: unknown) => {
        setStopping(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  const canStop = run.state === 'running' || run.state === 'pending';
  return (
    <li data-testid="active-run" data-run-id={run.id} className="space-y-1 py-2">
      <div className="flex items-center gap-2">
        <Link
          href={`/runs/${run.id}`}
          className="font-mono text-sm text-indigo-700 hover:underline dark:text-indigo-300"
        >
          {shortId(run.id)}
        </Link>
        <RunStateBadge state={run.state} />
        <span className="text-xs text-slate-500">
          {run.source}, {formatCount(run.params.ratePerSecond)}/s
        </span>
        <Button
          size="sm"
          variant="danger"
          className="ml-auto"
          onClick={stop}
          disabled={!canStop || stopping}
          aria-label={`Stop run ${shortId(run.id)}`}
          data-testid="stop-run"
        >
          {stopping || run.state === 'stopping' ? 'Stopping…' : 'Stop'}
        </Button>
      </div>
      <p className="text-xs text-slate-500 tabular-nums">
        produced {formatCount(run.counters.produced)} · stored {formatCount(run.counters.stored)}
        {run.counters.deadLettered > 0 && ` · dead-lettered ${formatCount(run.counters.deadLettered)}`}
      </p>
      {error && <p className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
    </li>
  );
}

/** Start a run (validated with the RunParams contract before anything is sent) and stop active ones. */
export function RunControls({
  activeRuns,
  className = '',
}: {
  activeRuns: Run[] | undefined;
  className?: string;
}) {
  const [draft, setDraft] = useState<RunParamsDraft>(DEFAULT_RUN_PARAMS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [started, setStarted] = useState<Run>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRunParams(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSubmitting(true);
    startRun(parsed.value).then(
      (run) => {
        setSubmitting(false);
        setStarted(run);
      },
      (failure: unknown) => {
        setSubmitting(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  return (
    <Card className={`space-y-4 ${className}`}>
      <section aria-labelledby="start-title">
        <h2 id="start-title" className="mb-3 font-semibold">
          Start a run
        </h2>
        <form
          noValidate
          onSubmit={submit}
          aria-label="Start a run"
          data-testid="start-run-form"
          className="space-y-3"
        >
          <RunParamsFields
            idPrefix="run"
            draft={draft}
            errors={errors}
            onChange={setDraft}
            disabled={submitting}
          />
          {errors.form && <ErrorNotice>{errors.form}</ErrorNotice>}
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" disabled={submitting} data-testid="start-run">
              {submitting ? 'Starting…' : 'Start run'}
            </Button>
            {started && (
              <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
                Started{' '}
                <Link
                  href={`/runs/${started.id}`}
                  className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {shortId(started.id)}
                </Link>
              </p>
            )}
          </div>
        </form>
      </section>
      <section
        aria-labelledby="active-title"
        className="border-t border-slate-200 pt-3 dark:border-slate-800"
      >
        <h2 id="active-title" className="font-semibold">
          Active runs
        </h2>
        {activeRuns === undefined ? (
          <Skeleton className="mt-2 h-10 w-full" />
        ) : activeRuns.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500" data-testid="no-active-runs">
            No run is active.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {activeRuns.map((run) => (
              <ActiveRun key={run.id} run={run} />
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
