import type { DeadLetterRecord } from '@userstream/contracts';

/** How many bytes the hex view shows: enough to see why a value is not text. */
const HEX_BYTES = 512;

function hexDump(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)).subarray(0, HEX_BYTES);
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = Array.from(bytes.subarray(at, at + 16), (byte) => byte.toString(16).padStart(2, '0'));
    lines.push(`${at.toString(16).padStart(6, '0')}  ${row.join(' ')}`);
  }
  return lines.join('\n');
}

const pre =
  'max-h-72 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-2 font-mono text-xs text-slate-800 dark:bg-slate-950 dark:text-slate-200';

/** The record as it reached the processor: JSON, text, or bytes (hex and base64) when it is not UTF-8. */
export function OriginalBytes({ record }: { record: DeadLetterRecord }) {
  const { original } = record;
  if (record.originalHidden) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="original-hidden">
        Hidden: this value is not JSON, so its personal data cannot be masked field by field. An admin can
        show it unmasked.
      </p>
    );
  }
  if (original === null) {
    return <p className="text-sm text-slate-600 dark:text-slate-300">No value (empty record).</p>;
  }
  const tags = (
    <p className="text-xs text-slate-500 dark:text-slate-400">
      {original.encoding} · {original.sizeBytes} bytes{original.truncated ? ' · cut for display' : ''}
      {record.valueTruncated ? ' · the letter holds only the first bytes: cannot be redriven' : ''}
    </p>
  );
  if (original.encoding === 'base64' && typeof original.data === 'string') {
    return (
      <div className="space-y-1" data-testid="original-bytes">
        {tags}
        <pre className={pre} aria-label="Original bytes in hex">
          {hexDump(original.data)}
        </pre>
        <details>
          <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-300">Base64</summary>
          <pre className={pre}>{original.data}</pre>
        </details>
      </div>
    );
  }
  const text = original.encoding === 'json' ? JSON.stringify(original.data, null, 2) : String(original.data);
  return (
    <div className="space-y-1" data-testid="original-bytes">
      {tags}
      <pre className={pre}>{text}</pre>
    </div>
  );
}
