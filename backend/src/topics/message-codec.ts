import type { BrowsedMessage, DecodedPayload } from '@userstream/contracts';
import { maskPersonalFields } from '#src/common/index.js';
import type { RawMessage } from '#src/kafka/index.js';

/** What one key, value or header shows at most; the rest is cut and flagged. */
export const DISPLAY_LIMIT_BYTES = 32_768;
const HEADER_DISPLAY_LIMIT = 4_096;
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
  if (bytes === null) {
    return null;
  }
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
      if (sizeBytes <= limit) {
        return { encoding: 'json', data: shown, truncated: false, sizeBytes };
      }
      return { encoding: 'text', data: cut(JSON.stringify(shown), limit), truncated: true, sizeBytes };
    } catch {
      // not JSON after all: shown as text
    }
  }
  const truncated = sizeBytes > limit;
  return { encoding: 'text', data: truncated ? cut(text, limit) : text, truncated, sizeBytes };
}

/** A message as browsing, search, export and tail show it: decoded, personal fields masked when asked. */
export function presentMessage(message: RawMessage, mask: boolean): BrowsedMessage {
  return {
    partition: message.partition,
    offset: message.offset,
    timestamp:
      Number.isFinite(message.timestamp) && message.timestamp >= 0
        ? new Date(message.timestamp).toISOString()
        : null,
    key: decodePayload(message.key, { mask }),
    value: decodePayload(message.value, { mask }),
    headers: message.headers.map((header) => ({
      key: header.key,
      value: decodePayload(header.value, { mask: false, json: false, limit: HEADER_DISPLAY_LIMIT }),
    })),
  };
}
