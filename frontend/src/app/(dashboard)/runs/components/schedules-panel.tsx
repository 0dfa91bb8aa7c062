'use client';

import type { Run, Schedule } from '@userstream/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { paramsSummary } from '@/components/run-summary';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { queryKeys, useInvalidate, useSchedules } from '@/lib/api/queries';
import { createSchedule, deleteSchedule, runScheduleNow, updateSchedule } from '@/lib/api/schedules';
import { formatDateTime, shortId } from '@/lib/format';
import { paramsBeyondDraft, scheduleToDraft } from '@/lib/forms/run-params';
import { EMPTY_SCHEDULE_DRAFT, ScheduleForm } from './schedule-form';
import { ScheduleFirings } from './schedule-firings';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function ScheduleRow({ schedule, onChange }: { schedule: Schedule; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [showFirings, setShowFirings] = useState(false);
  const [started, setStarted] = useState<Run>();
  const act = <T,>(action: () => Promise<T>, onDone?: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    action().then(
      (result) => {
        setBusy(false);
        onDone?.(result);
        onChange();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(message(failure));
      },
    );
  };
  const remove = () => {
    if (window.confirm(`Delete the schedule "${schedule.name}"?`)) {
      act(() => deleteSchedule(schedule.id));
    }
  };
  return (
    <li
      data-testid="schedule-row"
      data-schedule-id={schedule.id}
      className="flex flex-wrap items-start gap-3 py-3"
    >
      <div className="min-w-0 flex-1 space-y-0.5">
        <p className="font-medium">
          {schedule.name}{' '}
          <code className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
            {schedule.cron}
          </code>{' '}
          <span className="text-xs text-slate-500">{schedule.timezone}</span>
        </p>
        <p className="text-xs text-slate-500">
          {schedule.params.source} · {paramsSummary(schedule.params)}
        </p>
        <p className="text-xs text-slate-500">
          next {schedule.enabled ? formatDateTime(schedule.nextFireAt) : '–'} · last{' '}
          {formatDateTime(schedule.lastFiredAt)}
          {schedule.lastRunId && (
            <>
              {' '}
              (
              <Link
                href={`/runs/${schedule.lastRunId}`}
                className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {shortId(schedule.lastRunId)}
              </Link>
              )
            </>
          )}
        </p>
        <p className="text-xs text-slate-500">
          missed firings: {schedule.catchUp === 'latest' ? 'run once for the latest' : 'skipped'}
        </p>
        {started && (
          <p className="text-xs" role="status">
            Started run{' '}
            <Link
              href={`/runs/${started.id}`}
              data-testid="schedule-started-run"
              className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {shortId(started.id)}
            </Link>
          </p>
        )}
        {error && <p className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
        {showFirings && (
          <div className="pt-1">
            <ScheduleFirings
              scheduleId={schedule.id}
              version={`${schedule.cron} ${schedule.timezone} ${schedule.updatedAt}`}
            />
          </div>
        )}
      </div>
      <div className="flex items-center gap-2">
        <button
          type="button"
          role="switch"
          aria-checked={schedule.enabled}
          aria-label={`${schedule.name} enabled`}
          disabled={busy}
          onClick={() => act(() => updateSchedule(schedule.id, { enabled: !schedule.enabled }))}
          data-testid="schedule-enabled"
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ${
            schedule.enabled ? 'bg-indigo-600 dark:bg-indigo-500' : 'bg-slate-300 dark:bg-slate-700'
          }`}
        >
          <span
            aria-hidden
            className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${
              schedule.enabled ? 'translate-x-6' : 'translate-x-1'
            }`}
          />
        </button>
        <Button
          size="sm"
          onClick={() => act(() => runScheduleNow(schedule.id), setStarted)}
          disabled={busy}
          aria-label={`Run ${schedule.name} now`}
          data-testid="schedule-run-now"
        >
          Run now
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setShowFirings(!showFirings)}
          aria-expanded={showFirings}
          data-testid="schedule-show-firings"
        >
          {showFirings ? 'Hide firings' : 'Next firings'}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setEditing(!editing)}
          aria-expanded={editing}
          aria-label={`Edit ${schedule.name}`}
          data-testid="schedule-edit"
        >
          {editing ? 'Cancel' : 'Edit'}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={remove}
          disabled={busy}
          aria-label={`Delete ${schedule.name}`}
        >
          Delete
        </Button>
      </div>
      {editing && (
        <div className="w-full rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <ScheduleForm
            initial={scheduleToDraft(schedule)}
            idPrefix={`schedule-${schedule.id.slice(0, 8)}`}
            label={`Edit ${schedule.name}`}
            submitLabel="Save changes"
            onSubmit={(value) =>
              updateSchedule(schedule.id, {
                ...value,
                params: { ...paramsBeyondDraft(schedule.params), ...value.params },
              })
            }
            onSaved={() => {
              setEditing(false);
              onChange();
            }}
          />
        </div>
      )}
    </li>
  );
}

/** Cron schedules of runs: list, create, edit, enable or disable, run now, preview firings, delete. */
export function SchedulesPanel() {
  const { data, error, isPending: loading } = useSchedules();
  const invalidate = useInvalidate();
  // a schedule changed (or started a run): the schedules, and the run history beside them, read again
  const refresh = () => void invalidate(queryKeys.schedules, queryKeys.runs.all);
  const [creating, setCreating] = useState(false);

  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Schedules</h2>
        <Button
          size="sm"
          onClick={() => setCreating(!creating)}
          aria-expanded={creating}
          data-testid="new-schedule"
        >
          {creating ? 'Cancel' : 'New schedule'}
        </Button>
      </div>
      {creating && (
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <ScheduleForm
            initial={EMPTY_SCHEDULE_DRAFT}
            idPrefix="schedule"
            label="Create a schedule"
            submitLabel="Create schedule"
            onSubmit={createSchedule}
            onSaved={() => {
              setCreating(false);
              refresh();
            }}
          />
        </div>
      )}
      {error && <ErrorNotice title="Schedules unavailable">{error.message}</ErrorNotice>}
      {loading ? (
        <SkeletonRows rows={2} label="Loading schedules" />
      ) : data && data.items.length === 0 ? (
        <EmptyState title="No schedules">Create one to start runs from a cron expression.</EmptyState>
      ) : data ? (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {data.items.map((schedule) => (
            <ScheduleRow key={schedule.id} schedule={schedule} onChange={refresh} />
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
