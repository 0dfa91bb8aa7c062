import type { DeadLetterKind } from '@userstream/contracts';

export const KIND_LABELS: Record<DeadLetterKind, string> = {
  empty: 'Empty value',
  too_large: 'Too large',
  not_utf8: 'Not UTF-8',
  not_json: 'Not JSON',
  not_an_object: 'Not an object',
  missing_id: 'Missing or bad id',
  invalid_fields: 'Invalid fields',
  store_limit: 'Over a store limit',
  store_refused: 'Refused by the store',
  other: 'Other',
};

export const runLabel = (runId: string | null) => (runId === null ? 'no run' : runId.slice(0, 8));
