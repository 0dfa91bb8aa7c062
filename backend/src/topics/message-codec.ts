import type { DecodedPayload } from '@userstream/contracts';

/** What one key, value or header shows at most; the rest is cut and flagged. */
export const DISPLAY_LIMIT_BYTES = 32_768;
export const MASK = '***';

/**
 * Personal fields, masked wherever they occur (a user can be nested in an envelope or an array): the
 * randomuser.me shape (`email`, `login.*`, `location.street`...) and the processed shape
 * (`username`, `pictureLarge`, `latitude`...). A masked object keeps its keys, with every value masked.
 */
const PERSONAL_KEYS = new Set([
  'email',
  'phone',
  'cell',
  'dob',
  'picture',
  'login',
  'street',
  'coordinates',
  'username',
  'pictureLarge',
  'pictureMedium',
  'pictureThumbnail',
  'latitude',
  'longitude',
]);
/** Keys personal only under a given parent: `id.value` (national id number). */
const PERSONAL_UNDER: Record<string, string> = { value: 'id' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function maskAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAll);
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskAll(child)]));
  return value === null ? null : MASK;
}

/**
 * A copy of a parsed JSON value with personal fields masked. A dead letter's `value` (the original record,
 * base64) is masked whole: its bytes are a user too.
 */
export function maskPersonalFields(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => maskPersonalFields(item, parentKey));
  if (!isRecord(value)) return value;
  const deadLetter = typeof value['reason'] === 'string' && typeof value['value'] === 'string';
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      const personal =
        PERSONAL_KEYS.has(key) ||
        (parentKey !== undefined && PERSONAL_UNDER[key] === parentKey) ||
        (deadLetter && key === 'value');
      return [key, personal ? maskAll(child) : maskPersonalFields(child, key)];
    }),
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// C0 controls other than tab, line feed and carriage return, and DEL: bytes, not text
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function asText(bytes: Buffer): string | null {
  try {
    const text = utf8.decode(bytes);
    return CONTROL.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** The first `limit` UTF-8 bytes of `text`, without a character cut in half. */
function cut(text: string, limit: number): string {
  return Buffer.from(text, 'utf8')
    .subarray(0, limit)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

/**
 * Decodes a key or value for display. JSON objects and arrays are parsed (and masked when asked); other
 * UTF-8 is text; anything else is base64. Values over the display limit are cut: a large JSON value is
 * masked first, then shown as the beginning of its text.
 */
export function decodePayload(
  bytes: Buffer | null,
  { mask, json = true, limit = DISPLAY_LIMIT_BYTES }: { mask: boolean; json?: boolean; limit?: number },
): DecodedPayload | null {
  if (bytes === null) return null;
  const sizeBytes = bytes.length;
  const text = asText(bytes);
  if (text === null) {
    const truncated = sizeBytes > limit;
    return {
      encoding: 'base64',
      data: (truncated ? bytes.subarray(0, limit) : bytes).toString('base64'),
      truncated,
      sizeBytes,
    };
  }
  const trimmed = text.trimStart();
  if (json && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      const parsed: unknown = JSON.parse(text);
      const shown = mask ? maskPersonalFields(parsed) : parsed;
      if (sizeBytes <= limit) return { encoding: 'json', data: shown, truncated: false, sizeBytes };
      return { encoding: 'text', data: cut(JSON.stringify(shown), limit), truncated: true, sizeBytes };
    } catch {
      // not JSON after all: shown as text
    }
  }
  const truncated = sizeBytes > limit;
  return { encoding: 'text', data: truncated ? cut(text, limit) : text, truncated, sizeBytes };
}
