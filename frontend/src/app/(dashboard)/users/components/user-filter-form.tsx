'use client';

import { COUNTRY_BY_NAT, NATIONALITIES } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field } from '@/components/ui/field';
import type { FieldErrors } from '@/lib/forms/run-params';
import {
  EMPTY_FILTERS,
  FILTER_LABELS,
  type FilterKey,
  parseUserFilters,
  type UserFiltersDraft,
} from '@/lib/forms/user-filters';

interface InputExtras {
  placeholder?: string;
  type?: string;
  list?: string;
  inputMode?: 'numeric';
}

const TEXT_FIELDS: ({ key: FilterKey } & InputExtras)[] = [
  { key: 'firstName' },
  { key: 'lastName' },
  { key: 'email', type: 'email' },
  { key: 'username' },
  { key: 'country', list: 'users-countries', placeholder: 'e.g. Germany' },
  { key: 'gender', list: 'users-genders', placeholder: 'any' },
];

const id = (key: FilterKey) => `users-${key}`;

/**
 * All the search filters. Validated with the API's query schema before anything is sent; what passes
 * goes to the URL (`onSearch`), which is what the results follow. `initial` and `initialErrors` come
 * from the URL, so a shared or reloaded link fills the form.
 */
export function UserFilterForm({
  urlQuery,
  initial,
  initialErrors,
  onSearch,
  onReset,
}: {
  /** The URL's query string: when it changes (back, forward, a link), the form starts again from it. */
  urlQuery: string;
  initial: UserFiltersDraft;
  initialErrors: FieldErrors;
  onSearch: (url: URLSearchParams) => void;
  onReset: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState(initialErrors);
  const [seenQuery, setSeenQuery] = useState(urlQuery);
  if (seenQuery !== urlQuery) {
    setSeenQuery(urlQuery);
    setDraft(initial);
    setErrors(initialErrors);
  }

  const set = (key: FilterKey, value: string) => setDraft({ ...draft, [key]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseUserFilters(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    onSearch(parsed.url);
  };

  const reset = () => {
    setDraft(EMPTY_FILTERS);
    setErrors({});
    onReset();
  };

  const input = (key: FilterKey, extra: InputExtras = {}) => (
    <Field key={key} id={id(key)} label={FILTER_LABELS[key]} error={errors[key]}>
      {(props) => (
        <input
          {...props}
          {...extra}
          value={draft[key]}
          onChange={(event) => set(key, event.target.value)}
          className={controlClass}
          autoComplete="off"
          spellCheck={false}
        />
      )}
    </Field>
  );

  return (
    <form noValidate onSubmit={submit} aria-label="Search users" className="space-y-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {TEXT_FIELDS.map(({ key, ...extra }) => input(key, extra))}
        <Field id={id('nat')} label={FILTER_LABELS.nat} error={errors.nat}>
          {(props) => (
            <select
              {...props}
              value={draft.nat}
              onChange={(event) => set('nat', event.target.value)}
              className={controlClass}
            >
              <option value="">any</option>
              {NATIONALITIES.map((nat) => (
                <option key={nat} value={nat}>
                  {nat} · {COUNTRY_BY_NAT[nat]}
                </option>
              ))}
              {/* a code from the URL that the list lacks stays visible, and validation names it */}
              {draft.nat && !(NATIONALITIES as readonly string[]).includes(draft.nat) && (
                <option value={draft.nat}>{draft.nat}</option>
              )}
            </select>
          )}
        </Field>
        <fieldset className="grid min-w-0 grid-cols-2 gap-3">
          <legend className="sr-only">Age range</legend>
          {input('ageMin', { placeholder: '0', inputMode: 'numeric' })}
          {input('ageMax', { placeholder: '150', inputMode: 'numeric' })}
        </fieldset>
        <fieldset className="grid min-w-0 grid-cols-2 gap-3">
          <legend className="sr-only">Registration date range</legend>
          {input('registeredFrom', { type: 'date' })}
          {input('registeredTo', { type: 'date' })}
        </fieldset>
        {input('runId', { placeholder: 'any run' })}
      </div>
      <datalist id="users-countries">
        {Object.values(COUNTRY_BY_NAT).map((country) => (
          <option key={country} value={country} />
        ))}
      </datalist>
      <datalist id="users-genders">
        <option value="female" />
        <option value="male" />
      </datalist>
      {errors.form && <p className="text-sm font-medium text-rose-600 dark:text-rose-400">{errors.form}</p>}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button onClick={reset}>Reset</Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Names, email, country and gender match whole values, ignoring case and accents.
        </p>
      </div>
    </form>
  );
}
