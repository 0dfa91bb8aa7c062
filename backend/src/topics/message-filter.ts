import type { KeyMatch } from '@userstream/contracts';
import { isPersonalKey, maskPersonalFields } from '#src/common/index.js';
import type { RawMessage } from '#src/kafka/index.js';

export interface MessageFilters {
  key?: string;
  keyMatch: KeyMatch;
  header?: string;
  headerValue?: string;
  text?: string;
  field?: string;
  fieldValue?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(bytes: Buffer | null): string | null {
  if (bytes === null) {
    return null;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function parseJson(text: string): unknown {
  const start = text.trimStart().charAt(0);
  if (start !== '{' && start !== '[') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The first segment of a JSON field path that is personal data (`email`, `id.value`...), if any. */
export function personalSegment(path: string): string | undefined {
  const segments = path.split('.');
  return segments.find((segment, index) => isPersonalKey(segment, segments[index - 1]));
}

/** The value at a dotted path: object keys, or indexes into arrays. */
export function valueAt(document: unknown, path: string): unknown {
  let current = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) {
        return undefined;
      }
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** A string field equals its text; a number, boolean or null its JSON text (`42`, `true`, `null`). */
function fieldEquals(value: unknown, expected: string): boolean {
  if (typeof value === 'string') {
    return value === expected;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return JSON.stringify(value) === expected;
  }
  return false;
}

/**
 * A key or value as matched: its UTF-8 text, and its JSON when it is an object or array. With `mask`, JSON is
 * masked first and its text is that of the masked JSON: what a masked reader is shown is all they can match.
 */
class Payload {
  private parsed?: { text: string | null; json: unknown };

  constructor(
    private readonly bytes: Buffer | null,
    private readonly mask: boolean,
  ) {}

  get text(): string | null {
    return this.decoded().text;
  }

  get json(): unknown {
    return this.decoded().json;
  }

  private decoded() {
    if (this.parsed) {
      return this.parsed;
    }
    const text = asText(this.bytes);
    const json = text === null ? undefined : parseJson(text);
    const shown = this.mask && json !== undefined ? maskPersonalFields(json) : json;
    this.parsed = {
      text: this.mask && json !== undefined ? JSON.stringify(shown) : text,
      json: shown,
    };
    return this.parsed;
  }
}

/**
 * A predicate for the messages that match every given filter. `mask`: match what a masked reader sees (the
 * caller refuses filters on personal fields beforehand); otherwise the data as stored.
 */
export function compileFilter(filters: MessageFilters, { mask }: { mask: boolean }) {
  const key = filters.key;
  const keyLower = key?.toLowerCase();
  const text = filters.text?.toLowerCase();
  return (message: RawMessage): boolean => {
    if (key !== undefined) {
      const keyText = new Payload(message.key, mask).text;
      if (keyText === null) {
        return false;
      }
      const hit =
        filters.keyMatch === 'equals' ? keyText === key : keyText.toLowerCase().includes(keyLower ?? '');
      if (!hit) {
        return false;
      }
    }
    if (filters.header !== undefined) {
      const wanted = filters.headerValue;
      const hit = message.headers.some(
        (header) =>
          header.key === filters.header && (wanted === undefined || asText(header.value) === wanted),
      );
      if (!hit) {
        return false;
      }
    }
    if (text === undefined && filters.field === undefined) {
      return true;
    }
    const value = new Payload(message.value, mask);
    if (text !== undefined && !(value.text?.toLowerCase().includes(text) ?? false)) {
      return false;
    }
    if (filters.field !== undefined && filters.fieldValue !== undefined) {
      const json = value.json;
      if (json === undefined || !fieldEquals(valueAt(json, filters.field), filters.fieldValue)) {
        return false;
      }
    }
    return true;
  };
}
