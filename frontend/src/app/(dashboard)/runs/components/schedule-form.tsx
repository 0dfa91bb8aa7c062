'use client';

import type { CatchUpPolicy, CreateScheduleRequest } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { RunParamsFields } from '@/components/run-params-fields';
import { Button } from '@/components/ui/button';
import { controlClass, Field } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import {
  DEFAULT_RUN_PARAMS,
  errorsFromApi,
  errorsUnder,
  type FieldErrors,
  parseSchedule,
  type ScheduleDraft,
} from '@/lib/forms/run-params';

export const EMPTY_SCHEDULE_DRAFT: ScheduleDraft = {
  name: '',
  cron: '0 * * * *',
  timezone: 'UTC',
  enabled: true,
  catchUp: 'skip',
  params: { ...DEFAULT_RUN_PARAMS, maxRecords: '10000', durationSeconds: '' },
};

const CATCH_UP_LABELS: Record<CatchUpPolicy, string> = {
  skip: 'Skip missed firings',
  latest: 'Run once for the latest missed firing',
};

/**
 * A schedule's fields, validated with the contract before anything is sent; the API's field errors are shown
 * beside their fields. `idPrefix` keeps the ids of several open forms (create, edit) apart.
 */
export function ScheduleForm({
  initial,
  idPrefix,
  label,
  submitLabel,
  onSubmit,
  onSaved,
}: {
  initial: ScheduleDraft;
  idPrefix: string;
  label: string;
  submitLabel: string;
  onSubmit: (value: CreateScheduleRequest) => Promise<unknown>;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<ScheduleDraft>(initial);
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
    onSubmit(parsed.value).then(
      () => {
        setSaving(false);
        onSaved();
      },
      (failure: unknown) => {
        setSaving(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  return (
    <form noValidate onSubmit={submit} aria-label={label} data-testid="schedule-form" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-4">
        <Field id={`${idPrefix}-name`} label="Name" error={errors.name}>
          {(props) => (
            <input
              {...props}
              value={draft.name}
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
              className={controlClass}
            />
          )}
        </Field>
        <Field id={`${idPrefix}-cron`} label="Cron" error={errors.cron} hint="5 fields, or 6 with seconds">
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
        <Field id={`${idPrefix}-timezone`} label="Time zone" error={errors.timezone}>
          {(props) => (
            <input
              {...props}
              value={draft.timezone}
              onChange={(event) => setDraft({ ...draft, timezone: event.target.value })}
              className={controlClass}
            />
          )}
        </Field>
        <Field
          id={`${idPrefix}-catch-up`}
          label="Missed firings"
          error={errors.catchUp}
          hint="while no backend was up"
        >
          {(props) => (
            <select
              {...props}
              value={draft.catchUp}
              onChange={(event) => setDraft({ ...draft, catchUp: event.target.value as CatchUpPolicy })}
              className={controlClass}
            >
              {(Object.keys(CATCH_UP_LABELS) as CatchUpPolicy[]).map((policy) => (
                <option key={policy} value={policy}>
                  {CATCH_UP_LABELS[policy]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <RunParamsFields
        idPrefix={idPrefix}
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
      <Button type="submit" variant="primary" disabled={saving} data-testid="save-schedule">
        {saving ? 'Saving…' : submitLabel}
      </Button>
    </form>
  );
}
