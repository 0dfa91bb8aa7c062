/** Keys whose values never reach the audit log, wherever they appear. */
const SECRET_KEY = /token|secret|passw|authori[sz]ation|cookie|credential|api[-_]?key|private/i;
const MAX_KEYS = 20;
const MAX_STRING = 120;
const MAX_DEPTH = 2;

function summarize(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) {
    return depth >= MAX_DEPTH || value.length > MAX_KEYS
      ? `[${value.length} items]`
      : value.map((item) => summarize(item, depth + 1));
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return '{…}';
    const entries = Object.entries(value as Record<string, unknown>);
    const summary: Record<string, unknown> = {};
    for (const [key, item] of entries.slice(0, MAX_KEYS)) {
      summary[key] = SECRET_KEY.test(key) ? '[redacted]' : summarize(item, depth + 1);
    }
    if (entries.length > MAX_KEYS) summary['…'] = `${entries.length - MAX_KEYS} more keys`;
    return summary;
  }
  return `[${typeof value}]`;
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);

/**
 * What a mutation was aimed at, for the audit log: path parameters, the query and a bounded summary of the
 * body, with secret-looking keys (token, password, authorization...) redacted at any depth.
 */
export function auditTarget(request: {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}): Record<string, unknown> | null {
  const target: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const value = request[part];
    if (!isEmpty(value)) target[part] = summarize(value, 0);
  }
  return Object.keys(target).length ? target : null;
}
