import type { KafkaMessage } from 'kafkajs';

/** Larger values are refused before parsing (Kafka's default max.message.bytes is about 1 MB). */
export const MAX_VALUE_BYTES = 512 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const header = (message: KafkaMessage, name: string): string | null => {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

/** A record's value as parsed JSON, or why it is not: empty, too large, not UTF-8, not JSON. */
export function decodeJson(
  message: KafkaMessage,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (!message.value || message.value.length === 0) {
    return { ok: false, reason: 'empty value' };
  }
  if (message.value.length > MAX_VALUE_BYTES) {
    return { ok: false, reason: `value of ${message.value.length} bytes exceeds ${MAX_VALUE_BYTES}` };
  }
  let text: string;
  try {
    text = utf8.decode(message.value);
  } catch {
    return { ok: false, reason: 'value is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
}
