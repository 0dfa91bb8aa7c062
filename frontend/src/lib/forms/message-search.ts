import { MessageSearchQuery, SEARCH_DEFAULT_BUDGET, SEARCH_DEFAULT_MAX_MATCHES } from '@userstream/contracts';
import { type ReadOrder, readStartParams } from './read-start';
import { fieldErrors, friendly, type Parsed } from './run-params';

/** Where a search starts: the beginning or end of the log, an offset of one partition, or a time. */
export type SearchStart = 'beginning' | 'end' | 'offset' | 'timestamp';

/** The search form as typed; every field is also a URL parameter of the topic page (same name). */
export interface SearchDraft {
  key: string;
  keyMatch: 'contains' | 'equals';
  header: string;
  headerValue: string;
  text: string;
  field: string;
  fieldValue: string;
  partition: string;
  start: SearchStart;
  offset: string;
  /** As a `datetime-local` input gives it: local time without a zone. */
  at: string;
  /** For offset and time starts: towards newer (`forward`) or older (`newest`) records. */
  direction: ReadOrder;
  budget: string;
  maxMatches: string;
}

export const DEFAULT_SEARCH: SearchDraft = {
  key: '',
  keyMatch: 'contains',
  header: '',
  headerValue: '',
  text: '',
  field: '',
  fieldValue: '',
  partition: '',
  start: 'beginning',
  offset: '',
  at: '',
  direction: 'forward',
  budget: String(SEARCH_DEFAULT_BUDGET),
  maxMatches: String(SEARCH_DEFAULT_MAX_MATCHES),
};

const DRAFT_KEYS = Object.keys(DEFAULT_SEARCH) as (keyof SearchDraft)[];
const START: readonly SearchStart[] = ['beginning', 'end', 'offset', 'timestamp'];

/** The draft a page URL holds (anything missing or unknown: the default). */
export function searchDraftFromUrl(params: URLSearchParams): SearchDraft {
  const draft = { ...DEFAULT_SEARCH };
  for (const key of DRAFT_KEYS) {
    const value = params.get(key);
    if (value !== null) {
      (draft as Record<string, string>)[key] = value;
    }
  }
  if (!START.includes(draft.start)) {
    draft.start = 'beginning';
  }
  if (draft.keyMatch !== 'equals') {
    draft.keyMatch = 'contains';
  }
  if (draft.direction !== 'newest') {
    draft.direction = 'forward';
  }
  return draft;
}

/** The draft as URL parameters: only what differs from the defaults, so links stay short. */
export function searchDraftToUrl(draft: SearchDraft): Record<string, string> {
  return Object.fromEntries(
    DRAFT_KEYS.flatMap((key) =>
      draft[key] !== DEFAULT_SEARCH[key] && draft[key] !== '' ? [[key, draft[key]]] : [],
    ),
  );
}

/** The search route's query string for a draft, checked with MessageSearchQuery first; nothing sent otherwise. */
export function parseSearch(draft: SearchDraft): Parsed<URLSearchParams> {
  const query: Record<string, string> = { budget: draft.budget.trim(), maxMatches: draft.maxMatches.trim() };
  const text = (name: 'key' | 'header' | 'headerValue' | 'text' | 'field' | 'fieldValue') => {
    if (draft[name] !== '') {
      query[name] = draft[name];
    }
  };
  text('key');
  if (draft.key !== '') {
    query.keyMatch = draft.keyMatch;
  }
  text('header');
  text('headerValue');
  text('text');
  text('field');
  text('fieldValue');
  if (draft.partition !== '') {
    query.partition = draft.partition;
  }
  const start = readStartParams(
    draft.start === 'beginning' ? 'oldest' : draft.start === 'end' ? 'newest' : draft.start,
    { partition: draft.partition, offset: draft.offset, time: draft.at, order: draft.direction },
  );
  if (!start.ok) {
    return { ok: false, errors: { [start.field === 'time' ? 'at' : start.field]: start.error } };
  }
  Object.assign(query, start.params);
  const outcome = MessageSearchQuery.safeParse(query, { error: friendly });
  return outcome.success
    ? { ok: true, value: new URLSearchParams(query) }
    : { ok: false, errors: fieldErrors(outcome.error.issues) };
}
