'use client';

import type { Schedule } from '@userstream/contracts';
import Link from 'next/link';
import { type FormEvent, useCallback, useState } from 'react';
import { paramsSummary } from '@/components/run-summary';
import { RunParamsFields } from '@/components/run-params-fields';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { controlClass, Field } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from '@/lib/api/schedules';
import { formatDateTime, shortId } from '@/lib/format';
import {
  DEFAULT_RUN_PARAMS,
  errorsFromApi,
  errorsUnder,
  type FieldErrors,
  parseSchedule,
  type ScheduleDraft,
} from '@/lib/forms/run-params';
import { usePoll } from '@/lib/use-poll';

const EMPTY_DRAFT: ScheduleDraft = {
  name: '',
  cron: '0 * * * *',
  timezone: 'UTC',
  enabled: true,
  params: { ...DEFAULT_RUN_PARAMS, maxRecords: '10000', durationSeconds: '' },
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function ScheduleForm({ onCreated }: { onCreated: () => void }) {
  const [draft, setDraft] = useState<ScheduleDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseSchedule(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    createSchedule(parsed.value).then(
      () => {
        setSaving(false);
        setDraft(EMPTY_DRAFT);
        onCreated();
      },
      (failure: unknown) => {
        setSaving(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label="Create a schedule"
      data-testid="schedule-form"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="schedule-name" label="Name" error={errors.name}>
          {(props) => (
            <input
              {...props}
              value={draft.name}
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
              className={controlClass}
            />
          )}
        </Field>
        <Field id="schedule-cron" label="Cron" error={errors.cron} hint="5 fields, or 6 with seconds">
          {(props) => (
            <input
              {...props}
              value={draft.cron}
              onChange={(event) => setDraft({ ...draft, cron: event.target.value })}
              className={`${controlClass} font-mono`}
              autoComplete="off"
            />
          )}
        </Field>
        <Field id="schedule-timezone" label="Time zone" error={errors.timezone}>
          {(props) => (
            <input
              {...props}
              value={draft.timezone}
              onChange={(event) => setDraft({ ...draft, timezone: event.target.value })}
              className={controlClass}
            />
          )}
        </Field>
      </div>
      <RunParamsFields
        idPrefix="schedule"
        draft={draft.params}
        errors={errorsUnder(errors, 'params')}
        onChange={(params) => setDraft({ ...draft, params })}
        disabled={saving}
      />
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="h-4 w-4 accent-indigo-600"
          checked={draft.enabled}
          onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
        />
        Enabled
      </label>
      {errors.form && <ErrorNotice>{errors.form}</ErrorNotice>}
      {errors.params && <ErrorNotice>{errors.params}</ErrorNotice>}
      <Button type="submit" variant="primary" disabled={saving} data-testid="create-schedule">
        {saving ? 'Saving…' : 'Create schedule'}
      </Button>
    </form>
  );
}

function ScheduleRow({ schedule, onChange }: { schedule: Schedule; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    action().then(
      () => {
        setBusy(false);
        onChange();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(message(failure));
      },
    );
  };
  const remove = () => {
    if (window.confirm(`Delete the schedule "${schedule.name}"?`)) act(() => deleteSchedule(schedule.id));
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
        {error && <p className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
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
          variant="ghost"
          onClick={remove}
          disabled={busy}
          aria-label={`Delete ${schedule.name}`}
        >
          Delete
        </Button>
      </div>
    </li>
  );
}

/** Cron schedules of runs: list, create, enable or disable, delete. */
export function SchedulesPanel() {
  const [version, setVersion] = useState(0);
  // a new function after each change makes usePoll load again at once
  const load = useCallback(() => listSchedules().then((list) => ({ ...list, version })), [version]);
  const { data, error, loading } = usePoll(load, 10_000);
  const refresh = () => setVersion((v) => v + 1);
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
            onCreated={() => {
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
