import type { BrowsedMessage, DecodedPayload, ExportFormat } from '@userstream/contracts';

const CSV_COLUMNS = ['partition', 'offset', 'timestamp', 'key', 'headers', 'value'];

/** A payload as one cell: text as is, JSON as its text, bytes as base64; empty for none. */
function payloadText(payload: DecodedPayload | null): string {
  if (payload === null) {
    return '';
  }
  return typeof payload.data === 'string' ? payload.data : JSON.stringify(payload.data);
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function exportHeader(format: ExportFormat): string | null {
  return format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : null;
}

/**
 * One exported message: a JSON line with the message as search shows it, or a CSV row (headers as a JSON
 * object of name to value text, a name repeated keeping its last value).
 */
export function exportRow(format: ExportFormat, message: BrowsedMessage): string {
  if (format === 'jsonl') {
    return `${JSON.stringify(message)}\n`;
  }
  const headers = Object.fromEntries(
    message.headers.map((header) => [header.key, payloadText(header.value)]),
  );
  const cells = [
    String(message.partition),
    String(message.offset),
    message.timestamp ?? '',
    payloadText(message.key),
    message.headers.length === 0 ? '' : JSON.stringify(headers),
    payloadText(message.value),
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}
