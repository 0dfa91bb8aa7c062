import {
  type CatchUpPolicy,
  CreateScheduleRequest,
  type Nationality,
  type RunFormat,
  RunParams,
  type Schedule,
  type SourceKind,
} from '@userstream/contracts';
import type { z } from 'zod';
import { ApiRequestError } from '@/lib/api/client';

/** The run parameters as typed in a form: text until validated. */
export interface RunParamsDraft {
  source: SourceKind;
  ratePerSecond: string;
  batchSize: string;
  maxRecords: string;
  durationSeconds: string;
  seed: string;
  nationalities: Nationality[];
  format: RunFormat;
}

export const DEFAULT_RUN_PARAMS: RunParamsDraft = {
  source: 'synthetic',
  ratePerSecond: '1000',
  batchSize: '500',
  maxRecords: '',
  durationSeconds: '60',
  seed: '',
  nationalities: [],
  format: 'randomuser',
};

/** Messages by field name (`ratePerSecond`, `name`, `params.batchSize`...). */
export type FieldErrors = Partial<Record<string, string>>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Blank is "not given"; anything else must be a number (the schema then checks integer and range). */
export function numberField(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  return /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function draftToInput(draft: RunParamsDraft): Record<string, unknown> {
  return {
    source: draft.source,
    ratePerSecond: numberField(draft.ratePerSecond),
    batchSize: numberField(draft.batchSize),
    maxRecords: numberField(draft.maxRecords),
    durationSeconds: numberField(draft.durationSeconds),
    seed: draft.seed.trim() === '' ? undefined : draft.seed.trim(),
    nationalities: draft.nationalities.length > 0 ? draft.nationalities : undefined,
    // the default is left out, as the API does
    format: draft.format === 'randomuser' ? undefined : draft.format,
  };
}

/** Zod messages worded for form fields; undefined keeps the schema's own message. */
export const friendly: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined) {
    return 'Required';
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    return 'Enter a number';
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') {
    return 'Enter a whole number';
  }
  if (issue.code === 'too_small' && issue.origin === 'number') {
    return `Must be at least ${String(issue.minimum)}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'number') {
    return `Must be at most ${String(issue.maximum)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return issue.minimum === 1 ? 'Required' : `At least ${String(issue.minimum)} characters`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return `At most ${String(issue.maximum)} characters`;
  }
  return undefined;
};

/** The first message per field, keyed by its dotted path (`form` for the whole object). */
export function fieldErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    // `nationalities.0` belongs to `nationalities`; `params.batchSize` stays as it is
    const path = issue.path.filter((part) => typeof part === 'string').join('.') || 'form';
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Validates a draft with the RunParams contract; nothing is sent unless this succeeds. */
export function parseRunParams(draft: RunParamsDraft): Parsed<RunParams> {
  const result = RunParams.safeParse(draftToInput(draft), { error: friendly });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error.issues) };
}

export interface ScheduleDraft {
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  catchUp: CatchUpPolicy;
  params: RunParamsDraft;
}

const DRAFT_PARAM_KEYS = [
  'source',
  'ratePerSecond',
  'batchSize',
  'maxRecords',
  'durationSeconds',
  'seed',
  'nationalities',
  'format',
] as const satisfies readonly (keyof RunParamsDraft & keyof RunParams)[];

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

/** A schedule as the form edits it. */
export function scheduleToDraft(schedule: Schedule): ScheduleDraft {
  const { params } = schedule;
  return {
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    enabled: schedule.enabled,
    catchUp: schedule.catchUp,
    params: {
      source: params.source,
      ratePerSecond: text(params.ratePerSecond),
      batchSize: text(params.batchSize),
      maxRecords: text(params.maxRecords),
      durationSeconds: text(params.durationSeconds),
      seed: params.seed ?? '',
      nationalities: params.nationalities ?? [],
      format: params.format ?? 'randomuser',
    },
  };
}

/** The parameters the form does not show (`topic`, `include`...), kept as they are when a schedule is edited. */
export function paramsBeyondDraft(params: RunParams): Partial<RunParams> {
  const rest: Partial<RunParams> = { ...params };
  for (const key of DRAFT_PARAM_KEYS) {
    delete rest[key];
  }
  return rest;
}

export function parseSchedule(draft: ScheduleDraft): Parsed<CreateScheduleRequest> {
  const result = CreateScheduleRequest.safeParse(
    { ...draft, timezone: draft.timezone.trim() || undefined, params: draftToInput(draft.params) },
    { error: friendly },
  );
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error.issues) };
}

/** A 400's `details` (`[{ field, message }]`) as field errors; other failures under `form`. */
export function errorsFromApi(error: unknown): FieldErrors {
  if (error instanceof ApiRequestError && Array.isArray(error.body?.details)) {
    const errors: FieldErrors = {};
    for (const detail of error.body.details as unknown[]) {
      if (typeof detail !== 'object' || detail === null) {
        continue;
      }
      const { field, message } = detail as { field?: unknown; message?: unknown };
      if (typeof field !== 'string' || typeof message !== 'string') {
        continue;
      }
      const key = field === '(root)' ? 'form' : field.replace(/\.\d+$/, '');
      errors[key] ??= message;
    }
    if (Object.keys(errors).length > 0) {
      return errors;
    }
  }
  return { form: error instanceof Error ? error.message : String(error) };
}

/** The errors under `prefix.` with the prefix removed (the params part of a schedule form). */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const inner: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key.startsWith(`${prefix}.`)) {
      inner[key.slice(prefix.length + 1)] = message;
    }
  }
  return inner;
}
