'use client';

import {
  COUNTRY_BY_NAT,
  NATIONALITIES,
  type Nationality,
  RunFormat,
  SourceKind,
} from '@userstream/contracts';
import { controlClass, Field } from '@/components/ui/field';
import type { FieldErrors, RunParamsDraft } from '@/lib/forms/run-params';

const numberFields = [
  { key: 'ratePerSecond', id: 'rate', label: 'Rate (users/s)', hint: undefined },
  { key: 'batchSize', id: 'batch', label: 'Batch size', hint: 'users per request to the source' },
  { key: 'maxRecords', id: 'limit', label: 'Limit (users)', hint: 'blank: no limit' },
  { key: 'durationSeconds', id: 'duration', label: 'Duration (s)', hint: 'blank: until stopped' },
] as const;

/** The RunParams fields, shared by the start form and the schedule form. */
export function RunParamsFields({
  idPrefix,
  draft,
  errors,
  onChange,
  disabled = false,
}: {
  idPrefix: string;
  draft: RunParamsDraft;
  errors: FieldErrors;
  onChange: (draft: RunParamsDraft) => void;
  disabled?: boolean;
}) {
  const set = <K extends keyof RunParamsDraft>(key: K, value: RunParamsDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const toggle = (nat: Nationality, on: boolean) =>
    set(
      'nationalities',
      on
        ? NATIONALITIES.filter((n) => n === nat || draft.nationalities.includes(n))
        : draft.nationalities.filter((n) => n !== nat),
    );
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-2 gap-3">
        <Field
          id={`${idPrefix}-source`}
          label="Source"
          error={errors.source}
          className="col-span-2 sm:col-span-1"
        >
          {(props) => (
            <select
              {...props}
              value={draft.source}
              disabled={disabled}
              onChange={(event) => set('source', SourceKind.parse(event.target.value))}
              className={controlClass}
            >
              <option value="synthetic">synthetic (offline, fast)</option>
              <option value="randomuser">randomuser.me API</option>
            </select>
          )}
        </Field>
        <Field
          id={`${idPrefix}-seed`}
          label="Seed"
          error={errors.seed}
          hint="optional: repeats a synthetic run"
          className="col-span-2 sm:col-span-1"
        >
          {(props) => (
            <input
              {...props}
              value={draft.seed}
              disabled={disabled}
              onChange={(event) => set('seed', event.target.value)}
              className={controlClass}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          id={`${idPrefix}-format`}
          label="Record format"
          error={errors.format}
          hint={
            draft.format === 'seed'
              ? "the tutorial's flat record, to users_created"
              : 'the API user, to the raw topic'
          }
          className="col-span-2"
        >
          {(props) => (
            <select
              {...props}
              value={draft.format}
              disabled={disabled}
              onChange={(event) => set('format', RunFormat.parse(event.target.value))}
              className={controlClass}
            >
              <option value="randomuser">randomuser (userstream users)</option>
              <option value="seed">seed (tutorial users_created)</option>
            </select>
          )}
        </Field>
        {numberFields.map(({ key, id, label, hint }) => (
          <Field
            key={key}
            id={`${idPrefix}-${id}`}
            label={label}
            error={errors[key]}
            hint={
              key === 'ratePerSecond' && draft.source === 'randomuser'
                ? 'randomuser.me allows about 60/s'
                : hint
            }
          >
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={draft[key]}
                disabled={disabled}
                onChange={(event) => set(key, event.target.value)}
                className={controlClass}
                autoComplete="off"
              />
            )}
          </Field>
        ))}
      </div>
      <fieldset aria-describedby={errors.nationalities ? `${idPrefix}-nat-error` : undefined}>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">
          Nationalities <span className="font-normal text-slate-500">(none ticked: all)</span>
        </legend>
        <div className="mt-1 grid grid-cols-4 gap-1 sm:grid-cols-7">
          {NATIONALITIES.map((nat) => {
            const checked = draft.nationalities.includes(nat);
            return (
              <label
                key={nat}
                title={COUNTRY_BY_NAT[nat]}
                className={`flex cursor-pointer items-center gap-1 rounded border px-1.5 py-1 text-xs focus-within:outline-2 focus-within:outline-indigo-500 ${
                  checked
                    ? 'border-indigo-400 bg-indigo-50 text-indigo-800 dark:border-indigo-500 dark:bg-indigo-950 dark:text-indigo-200'
                    : 'border-slate-200 dark:border-slate-700'
                }`}
              >
                <input
                  type="checkbox"
                  className="h-3.5 w-3.5 accent-indigo-600"
                  checked={checked}
                  disabled={disabled}
                  aria-label={`${nat} (${COUNTRY_BY_NAT[nat]})`}
                  onChange={(event) => toggle(nat, event.target.checked)}
                />
                {nat}
              </label>
            );
          })}
        </div>
        {errors.nationalities && (
          <p
            id={`${idPrefix}-nat-error`}
            className="mt-1 text-xs font-medium text-rose-600 dark:text-rose-400"
          >
            {errors.nationalities}
          </p>
        )}
      </fieldset>
    </div>
  );
}
