import { isPersonalKey } from '#src/common/index.js';

// NUL, and a surrogate half without its other half
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string PostgreSQL can store: text and jsonb refuse NUL and lone surrogates, and one refused entry would hold
 * back every entry queued behind it.
 */
export const storable = (text: string) => text.replace(UNSTORABLE, '\uFFFD');

/** Keys whose values never reach the audit log, wherever they appear (personal ones neither). */
const SECRET_KEY = /token|secret|passw|authori[sz]ation|cookie|credential|api[-_]?key|private/i;
const MAX_KEYS = 20;
const MAX_STRING = 120;
const MAX_DEPTH = 2;

function summarize(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string') {
    return storable(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  }
  if (Array.isArray(value)) {
    return depth >= MAX_DEPTH || value.length > MAX_KEYS
      ? `[${value.length} items]`
      : value.map((item) => summarize(item, depth + 1));
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) {
      return '{…}';
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const summary: Record<string, unknown> = {};
    for (const [key, item] of entries.slice(0, MAX_KEYS)) {
      summary[storable(key)] =
        SECRET_KEY.test(key) || isPersonalKey(key) ? '[redacted]' : summarize(item, depth + 1);
    }
    if (entries.length > MAX_KEYS) {
      summary['…'] = `${entries.length - MAX_KEYS} more keys`;
    }
    return summary;
  }
  return `[${typeof value}]`;
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);

/**
 * What a request was aimed at, for the audit log: path parameters, the query and a bounded summary of the
 * body, with secret-looking keys (token, password, authorization...) and personal ones (email, phone...)
 * redacted at any depth.
 */
export function auditTarget(request: {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}): Record<string, unknown> | null {
  const target: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const value = request[part];
    if (!isEmpty(value)) {
      target[part] = summarize(value, 0);
    }
  }
  return Object.keys(target).length ? target : null;
}
