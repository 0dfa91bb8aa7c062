import {
  AddPartitionsRequest,
  AlterTopicConfigsRequest,
  BrowseMessagesQuery,
  CreateTopicRequest,
  ProduceMessageRequest,
  TOPIC_CONFIG_KEYS,
  type TopicConfigEntry,
  type TopicConfigKey,
  type TopicConfigPatch,
} from '@userstream/contracts';
import type { z } from 'zod';
import { type ReadOrder, type ReadStart, readStartParams } from './read-start';
import { type FieldErrors, fieldErrors, friendly, numberField, type Parsed } from './run-params';

/** Settings as typed: text, blank meaning "not set". */
export type ConfigDraft = Partial<Record<TopicConfigKey, string>>;

/** The choices of the enumerated settings; the others are integers. */
export const CONFIG_CHOICES: Partial<Record<TopicConfigKey, readonly string[]>> = {
  'cleanup.policy': ['delete', 'compact', 'compact,delete'],
  'compression.type': ['uncompressed', 'producer', 'gzip', 'snappy', 'lz4', 'zstd'],
};

export interface CreateTopicDraft {
  name: string;
  partitions: string;
  replicationFactor: string;
  configs: ConfigDraft;
}

export const EMPTY_TOPIC_DRAFT: CreateTopicDraft = {
  name: '',
  partitions: '3',
  replicationFactor: '1',
  configs: {},
};

/** A union of "integer or digits" reports a bare "Invalid input": say what is expected instead. */
function withConfigWording(errors: FieldErrors): FieldErrors {
  for (const key of Object.keys(errors)) {
    if (errors[key] === 'Invalid input') {
      errors[key] = 'Enter a whole number';
    }
  }
  return errors;
}

function result<T>(outcome: z.ZodSafeParseResult<T>): Parsed<T> {
  return outcome.success
    ? { ok: true, value: outcome.data }
    : { ok: false, errors: withConfigWording(fieldErrors(outcome.error.issues)) };
}

/** Validates the create form with the CreateTopicRequest contract; nothing is sent unless it passes. */
export function parseCreateTopic(draft: CreateTopicDraft): Parsed<CreateTopicRequest> {
  const configs = Object.fromEntries(
    TOPIC_CONFIG_KEYS.flatMap((key) => {
      const value = draft.configs[key]?.trim();
      return value ? [[key, value]] : [];
    }),
  );
  return result(
    CreateTopicRequest.safeParse(
      {
        name: draft.name.trim(),
        partitions: numberField(draft.partitions),
        replicationFactor: numberField(draft.replicationFactor),
        configs: Object.keys(configs).length > 0 ? configs : undefined,
      },
      { error: friendly },
    ),
  );
}

/** The new partition count: the contract's bounds, and more than the topic has (partitions only grow). */
export function parseAddPartitions(text: string, current: number): Parsed<AddPartitionsRequest> {
  const outcome = result(AddPartitionsRequest.safeParse({ count: numberField(text) }, { error: friendly }));
  if (outcome.ok && outcome.value.count <= current) {
    return { ok: false, errors: { count: `Must be more than the current ${current}` } };
  }
  return outcome;
}

/** The editable settings' current values, as the config form starts. */
export function configDraftOf(configs: TopicConfigEntry[]): ConfigDraft {
  return Object.fromEntries(configs.filter((c) => c.editable).map((c) => [c.name, c.value ?? '']));
}

/**
 * The changed settings as a patch: a changed value sets an override, a key in `reset` goes back to the
 * broker's default (null).
 */
export function parseConfigPatch(
  draft: ConfigDraft,
  initial: ConfigDraft,
  reset: ReadonlySet<TopicConfigKey>,
): Parsed<TopicConfigPatch> {
  const patch: Record<string, string | null> = {};
  for (const key of TOPIC_CONFIG_KEYS) {
    if (reset.has(key)) {
      patch[key] = null;
    } else if ((draft[key] ?? '').trim() !== (initial[key] ?? '').trim()) {
      patch[key] = (draft[key] ?? '').trim();
    }
  }
  if (Object.keys(patch).length === 0) {
    return { ok: false, errors: { form: 'Change a setting first' } };
  }
  const outcome = result(AlterTopicConfigsRequest.safeParse({ configs: patch }, { error: friendly }));
  if (outcome.ok) {
    return { ok: true, value: outcome.value.configs };
  }
  // `configs.retention.ms` → `retention.ms`: the form's fields are the settings themselves
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(outcome.errors)) {
    errors[key.replace(/^configs\./, '')] = message;
  }
  return { ok: false, errors };
}

export interface ProduceDraft {
  key: string;
  value: string;
  partition: string;
}

export const EMPTY_PRODUCE_DRAFT: ProduceDraft = {
  key: '',
  value: '{\n  "hello": "world"\n}',
  partition: '',
};

/** The value must be JSON text (a string in quotes); then the ProduceMessageRequest contract applies. */
export function parseProduce(draft: ProduceDraft): Parsed<ProduceMessageRequest> {
  let value: unknown;
  try {
    value = JSON.parse(draft.value);
  } catch {
    return {
      ok: false,
      errors: { value: draft.value.trim() ? 'Enter valid JSON (text needs double quotes)' : 'Required' },
    };
  }
  return result(
    ProduceMessageRequest.safeParse(
      {
        key: draft.key === '' ? undefined : draft.key,
        value,
        partition: numberField(draft.partition),
      },
      { error: friendly },
    ),
  );
}

export type BrowseMode = ReadStart;

export interface BrowseDraft {
  /** Blank: every partition, merged by time. */
  partition: string;
  mode: BrowseMode;
  offset: string;
  /** As a `datetime-local` input gives it: local time without a zone. */
  timestamp: string;
  /** For offset and timestamp modes: read towards newer (`forward`) or older (`newest`) records. */
  direction: ReadOrder;
  limit: string;
  unmasked: boolean;
}

export const DEFAULT_BROWSE: BrowseDraft = {
  partition: '',
  mode: 'newest',
  offset: '',
  timestamp: '',
  direction: 'forward',
  limit: '20',
  unmasked: false,
};

/** The browse form as the query string of the messages route, checked with BrowseMessagesQuery first. */
export function parseBrowse(draft: BrowseDraft): Parsed<URLSearchParams> {
  const query: Record<string, string> = { limit: draft.limit.trim() };
  if (draft.partition !== '') {
    query.partition = draft.partition;
  }
  if (draft.unmasked) {
    query.unmasked = 'true';
  }
  const start = readStartParams(draft.mode, {
    partition: draft.partition,
    offset: draft.offset,
    time: draft.timestamp,
    order: draft.direction,
  });
  if (!start.ok) {
    return { ok: false, errors: { [start.field === 'time' ? 'timestamp' : start.field]: start.error } };
  }
  Object.assign(query, start.params);
  const outcome = result(BrowseMessagesQuery.safeParse(query, { error: friendly }));
  return outcome.ok ? { ok: true, value: new URLSearchParams(query) } : outcome;
}

/** URL parameter of each browse field on the topic page (prefixed: the search has fields of the same names). */
const BROWSE_URL: Record<Exclude<keyof BrowseDraft, 'unmasked'>, string> = {
  partition: 'bPartition',
  mode: 'bMode',
  offset: 'bOffset',
  timestamp: 'bAt',
  direction: 'bOrder',
  limit: 'bLimit',
};
export const BROWSE_URL_PARAMS: readonly string[] = Object.values(BROWSE_URL);
const BROWSE_MODES: readonly BrowseMode[] = ['newest', 'oldest', 'offset', 'timestamp'];

/** The browse form a page URL holds; anything missing or unknown is the default. */
export function browseDraftFromUrl(params: URLSearchParams): BrowseDraft {
  const draft = { ...DEFAULT_BROWSE };
  for (const [field, name] of Object.entries(BROWSE_URL)) {
    const value = params.get(name);
    if (value !== null) {
      (draft as Record<string, unknown>)[field] = value;
    }
  }
  if (!BROWSE_MODES.includes(draft.mode)) {
    draft.mode = DEFAULT_BROWSE.mode;
  }
  if (draft.direction !== 'newest') {
    draft.direction = 'forward';
  }
  return draft;
}

/** The browse form as URL parameters: only what differs from the defaults (personal data never goes there). */
export function browseDraftToUrl(draft: BrowseDraft): Record<string, string> {
  return Object.fromEntries(
    Object.entries(BROWSE_URL).flatMap(([field, name]) => {
      const value = draft[field as keyof typeof BROWSE_URL];
      return value !== DEFAULT_BROWSE[field as keyof typeof BROWSE_URL] && value !== ''
        ? [[name, value]]
        : [];
    }),
  );
}
