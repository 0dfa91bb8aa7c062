'use client';

import {
  BROWSE_MAX_LIMIT,
  type BrowsedMessage,
  type DecodedPayload,
  type MessagePage,
} from '@userstream/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field, LocalTimeField, partitionOptions, SelectField } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { browseMessages } from '@/lib/api/topics';
import { ORDER_OPTIONS } from '@/lib/forms/read-start';
import type { FieldErrors } from '@/lib/forms/run-params';
import {
  type BrowseDraft,
  browseDraftFromUrl,
  BROWSE_URL_PARAMS,
  browseDraftToUrl,
  type BrowseMode,
  parseBrowse,
} from '@/lib/forms/topic-forms';
import { formatBytes, formatDateTime } from '@/lib/format';

const MODES: { value: BrowseMode; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'oldest', label: 'Oldest' },
  { value: 'offset', label: 'From offset' },
  { value: 'timestamp', label: 'From timestamp' },
];

const STOPPED_BY: Record<MessagePage['stoppedBy'], string> = {
  limit: 'the count asked for',
  end: 'the end of the range',
  maxBytes: 'the size budget',
  timeout: 'the time budget',
};

const payloadText = (payload: DecodedPayload) =>
  payload.encoding === 'json'
    ? JSON.stringify(payload.data, null, 2)
    : typeof payload.data === 'string'
      ? payload.data
      : JSON.stringify(payload.data);

const tag = 'rounded px-1.5 py-0.5 text-[0.7rem] font-medium';

function PayloadTags({ payload }: { payload: DecodedPayload }) {
  return (
    <>
      <span className={`${tag} bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300`}>
        {payload.encoding} · {formatBytes(payload.sizeBytes)}
      </span>
      {payload.truncated && (
        <span
          className={`${tag} bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200`}
          data-testid="truncated"
        >
          truncated
        </span>
      )}
    </>
  );
}

function MessageCard({ message, open }: { message: BrowsedMessage; open: boolean }) {
  return (
    <li
      data-testid="message"
      data-partition={message.partition}
      data-offset={message.offset}
      className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
        <span>
          partition <span className="font-semibold tabular-nums">{message.partition}</span>
        </span>
        <span>
          offset <span className="font-semibold tabular-nums">{message.offset}</span>
        </span>
        <span>{message.timestamp ? formatDateTime(message.timestamp) : 'no timestamp'}</span>
        <span className="flex min-w-0 items-center gap-1">
          key{' '}
          {message.key ? (
            <>
              <code
                className="font-mono break-all text-slate-900 dark:text-slate-100"
                data-testid="message-key"
              >
                {payloadText(message.key)}
              </code>
              {message.key.truncated && <PayloadTags payload={message.key} />}
            </>
          ) : (
            <span className="text-slate-400">none</span>
          )}
        </span>
      </div>
      {message.headers.length > 0 && (
        <ul aria-label="Headers" className="flex flex-wrap gap-1 text-xs">
          {message.headers.map((header, index) => (
            <li
              key={`${header.key}-${index}`}
              className="rounded border border-slate-200 px-1.5 py-0.5 font-mono dark:border-slate-700"
            >
              {header.key}={header.value ? payloadText(header.value) : 'null'}
            </li>
          ))}
        </ul>
      )}
      {message.value ? (
        <details open={open} className="group">
          <summary className="flex cursor-pointer flex-wrap items-center gap-2 text-xs font-medium">
            Value <PayloadTags payload={message.value} />
          </summary>
          <pre
            data-testid="message-value"
            className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-slate-950"
          >
            {payloadText(message.value)}
          </pre>
        </details>
      ) : (
        <p className="text-xs text-slate-500">Value: null (a tombstone)</p>
      )}
    </li>
  );
}

/**
 * Reads a bounded page of messages: newest or oldest, from an offset of one partition, or from a
 * point in time; shows them decoded, with what was masked or cut said so. `reload` re-reads with the
 * last query (after a test message was produced). The form's fields are kept in the page URL.
 */
export function MessageBrowser({
  topic,
  partitions,
  reload,
}: {
  topic: string;
  partitions: number;
  reload: number;
}) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // the form starts as the URL says, so a reload or a shared link reads the same range
  const [draft, setDraft] = useState<BrowseDraft>(() => browseDraftFromUrl(params));
  const [query, setQuery] = useState<URLSearchParams | undefined>(() => {
    const initial = parseBrowse(browseDraftFromUrl(params));
    return initial.ok ? initial.value : undefined;
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState<{ page?: MessagePage; error?: string; loading: boolean }>({
    loading: true,
  });

  const read = useCallback(
    (params: URLSearchParams) => {
      setResult((previous) => ({ ...previous, loading: true }));
      return browseMessages(topic, params).then(
        (page) => setResult({ page, loading: false }),
        (failure: unknown) =>
          setResult({ error: failure instanceof Error ? failure.message : String(failure), loading: false }),
      );
    },
    [topic],
  );

  useEffect(() => {
    if (query) {
      void read(query);
    }
  }, [query, read, reload]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseBrowse(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    // a new object even for the same query: submitting again reads again
    setQuery(parsed.value);
    const url = new URLSearchParams(params);
    for (const name of BROWSE_URL_PARAMS) {
      url.delete(name);
    }
    for (const [name, value] of Object.entries(browseDraftToUrl(draft))) {
      url.set(name, value);
    }
    router.replace(`${pathname}?${url}`, { scroll: false });
  };

  const set = <K extends keyof BrowseDraft>(key: K, value: BrowseDraft[K]) =>
    setDraft({ ...draft, [key]: value });
  const positioned = draft.mode === 'offset' || draft.mode === 'timestamp';
  const { page, error, loading } = result;

  return (
    <div className="space-y-3">
      <form
        noValidate
        onSubmit={submit}
        aria-label="Browse messages"
        data-testid="browse-form"
        className="space-y-3"
      >
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4 lg:grid-cols-6">
          <SelectField
            id="browse-partition"
            label="Partition"
            error={errors.partition}
            value={draft.partition}
            options={partitionOptions(partitions, 'all')}
            onChange={(value) => set('partition', value)}
          />
          <SelectField
            id="browse-mode"
            label="Read"
            value={draft.mode}
            options={MODES}
            onChange={(value) => set('mode', value)}
          />
          {draft.mode === 'offset' && (
            <Field id="browse-offset" label="Offset" error={errors.offset}>
              {(props) => (
                <input
                  {...props}
                  inputMode="numeric"
                  value={draft.offset}
                  onChange={(event) => set('offset', event.target.value)}
                  className={controlClass}
                  autoComplete="off"
                />
              )}
            </Field>
          )}
          {draft.mode === 'timestamp' && (
            <LocalTimeField
              id="browse-timestamp"
              label="From (local time)"
              error={errors.timestamp}
              className="col-span-2"
              value={draft.timestamp}
              onChange={(value) => set('timestamp', value)}
            />
          )}
          {positioned && (
            <SelectField
              id="browse-direction"
              label="Order"
              value={draft.direction}
              options={ORDER_OPTIONS}
              onChange={(value) => set('direction', value)}
            />
          )}
          <Field id="browse-limit" label="Count" error={errors.limit} hint={`at most ${BROWSE_MAX_LIMIT}`}>
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={draft.limit}
                onChange={(event) => set('limit', event.target.value)}
                className={controlClass}
                autoComplete="off"
              />
            )}
          </Field>
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <Button type="submit" variant="primary" disabled={loading} data-testid="browse">
            {loading ? 'Reading…' : 'Read messages'}
          </Button>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="h-4 w-4 accent-indigo-600"
              checked={draft.unmasked}
              onChange={(event) => set('unmasked', event.target.checked)}
            />
            Show personal fields (admins)
          </label>
        </div>
        {errors.form && <ErrorNotice>{errors.form}</ErrorNotice>}
      </form>
      {error && <ErrorNotice title="Messages unavailable">{error}</ErrorNotice>}
      {loading && !page ? (
        <SkeletonRows rows={3} label="Loading messages" />
      ) : page ? (
        <div className="space-y-2" aria-busy={loading}>
          <p
            role="status"
            className="flex flex-wrap gap-2 text-xs text-slate-500"
            data-testid="browse-status"
          >
            <span>
              {page.items.length} message{page.items.length === 1 ? '' : 's'}, stopped by{' '}
              {STOPPED_BY[page.stoppedBy]}.
            </span>
            {page.masked && (
              <span
                className={`${tag} bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300`}
                data-testid="masked"
              >
                personal fields masked as ***
              </span>
            )}
          </p>
          {page.items.length === 0 ? (
            <EmptyState title="No messages here">Produce a test message, or read another range.</EmptyState>
          ) : (
            <ol className="space-y-2">
              {page.items.map((message, index) => (
                <MessageCard
                  key={`${message.partition}-${message.offset}`}
                  message={message}
                  open={index < 10}
                />
              ))}
            </ol>
          )}
        </div>
      ) : null}
    </div>
  );
}
