'use client';

import {
  type BrowsedMessage,
  type DecodedPayload,
  type ExportFormat,
  type MessageSearchPage,
  SEARCH_MAX_BUDGET,
  SEARCH_MAX_MATCHES,
} from '@userstream/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Fragment, useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field, LocalTimeField, partitionOptions, SelectField } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { exportMessages, searchMessages } from '@/lib/api/topics';
import { ORDER_OPTIONS } from '@/lib/forms/read-start';
import type { FieldErrors } from '@/lib/forms/run-params';
import {
  parseSearch,
  type SearchDraft,
  searchDraftFromUrl,
  searchDraftToUrl,
  type SearchStart,
} from '@/lib/forms/message-search';
import { formatCount, formatDateTime } from '@/lib/format';

const STARTS: { value: SearchStart; label: string }[] = [
  { value: 'beginning', label: 'Oldest first' },
  { value: 'end', label: 'Newest first' },
  { value: 'offset', label: 'From offset' },
  { value: 'timestamp', label: 'From time' },
];

const STOPPED_BY: Record<MessageSearchPage['stoppedBy'], string> = {
  end: 'everything is scanned',
  budget: 'the scan budget',
  maxMatches: 'the match count',
  maxBytes: 'the size of the matches',
  timeout: 'the time budget',
};

/** The URL parameters the search owns on the topic page (the browser's are left alone). */
const OWN = [
  'key',
  'keyMatch',
  'header',
  'headerValue',
  'text',
  'field',
  'fieldValue',
  'partition',
  'start',
  'offset',
  'at',
  'direction',
  'budget',
  'maxMatches',
  'cursor',
  'run',
];

const payloadText = (payload: DecodedPayload | null, pretty = false) =>
  payload === null
    ? ''
    : typeof payload.data === 'string'
      ? payload.data
      : JSON.stringify(payload.data, null, pretty ? 2 : undefined);

const preview = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

function ResultRow({ message }: { message: BrowsedMessage }) {
  const [open, setOpen] = useState(false);
  const cell = 'px-2 py-1.5 align-top';
  return (
    <Fragment>
      <tr
        data-testid="search-result"
        data-partition={message.partition}
        data-offset={message.offset}
        className="cursor-pointer border-t border-slate-200 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900"
        onClick={() => setOpen(!open)}
      >
        <td className={cell}>
          <button
            type="button"
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} offset ${message.offset}`}
            className="text-slate-500"
          >
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className={`${cell} tabular-nums`}>{message.partition}</td>
        <td className={`${cell} tabular-nums`}>{message.offset}</td>
        <td className={`${cell} whitespace-nowrap`}>
          {message.timestamp ? formatDateTime(message.timestamp) : '—'}
        </td>
        <td className={`${cell} font-mono break-all`}>{payloadText(message.key) || '—'}</td>
        <td className={`${cell} font-mono break-all text-slate-600 dark:text-slate-300`}>
          {preview(payloadText(message.value)) || 'null'}
        </td>
      </tr>
      {open && (
        <tr className="bg-slate-50 dark:bg-slate-950" data-testid="search-result-detail">
          <td colSpan={6} className="space-y-2 px-3 py-2">
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
            <pre className="max-h-96 overflow-auto rounded bg-white p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-slate-900">
              {message.value ? payloadText(message.value, true) : 'null (a tombstone)'}
            </pre>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function Progress({ page }: { page: MessageSearchPage }) {
  const { covered, total, partitions } = page.progress;
  const percent = total === 0 ? 100 : Math.round((covered / total) * 100);
  return (
    <div className="space-y-2" data-testid="search-progress">
      <p role="status" className="text-sm">
        <span data-testid="search-summary">
          {page.items.length} match{page.items.length === 1 ? '' : 'es'} · scanned {formatCount(page.scanned)}{' '}
          / {formatCount(page.budget)} · stopped by {STOPPED_BY[page.stoppedBy]}
        </span>
        {page.masked && (
          <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-[0.7rem] font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
            personal fields masked as ***
          </span>
        )}
      </p>
      <div
        className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
        role="progressbar"
        aria-label="Search progress"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="h-full bg-indigo-500" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {formatCount(covered)} of {formatCount(total)} offsets covered ({percent}%)
      </p>
      <ul className="flex flex-wrap gap-2 text-xs" aria-label="Progress per partition">
        {partitions.map((part) => (
          <li
            key={part.partition}
            data-testid="partition-progress"
            className="rounded border border-slate-200 px-2 py-0.5 tabular-nums dark:border-slate-700"
          >
            p{part.partition}: {part.position} → {part.end} {part.done ? '✓' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Server-side search in a topic: filters, a scan budget, progress and a "Continue" that picks up exactly where
 * the last call stopped, results to expand, and exports. Everything (filters, start, the page's cursor) lives
 * in the page URL, so a reload or a shared link shows the same search.
 */
export function MessageSearch({ topic, partitions }: { topic: string; partitions: number }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const fromUrl = useMemo(() => searchDraftFromUrl(params), [params]);
  const [draft, setDraft] = useState<SearchDraft>(fromUrl);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unmasked, setUnmasked] = useState(false);
  const [result, setResult] = useState<{ page?: MessageSearchPage; error?: string; loading: boolean }>({
    loading: false,
  });
  const [exporting, setExporting] = useState<{ format?: ExportFormat; error?: string }>({});
  const cursor = params.get('cursor');
  const submitted = params.get('run') === '1';

  // the query the URL asks for: nothing until a search was submitted
  const query = useMemo(() => {
    if (!submitted) {
      return undefined;
    }
    const parsed = parseSearch(fromUrl);
    if (!parsed.ok) {
      return undefined;
    }
    if (unmasked) {
      parsed.value.set('unmasked', 'true');
    }
    return parsed.value;
  }, [fromUrl, submitted, unmasked]);

  useEffect(() => setDraft(fromUrl), [fromUrl]);

  useEffect(() => {
    if (!query) {
      return;
    }
    let current = true;
    const withCursor = new URLSearchParams(query);
    if (cursor) {
      withCursor.set('cursor', cursor);
    }
    setResult((previous) => ({ ...previous, error: undefined, loading: true }));
    searchMessages(topic, withCursor).then(
      (page) => current && setResult({ page, loading: false }),
      (failure: unknown) =>
        current &&
        setResult({ error: failure instanceof Error ? failure.message : String(failure), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [topic, query, cursor]);

  const go = (next: Record<string, string>) => {
    const url = new URLSearchParams(params);
    for (const name of OWN) {
      url.delete(name);
    }
    for (const [name, value] of Object.entries(next)) {
      url.set(name, value);
    }
    router.replace(`${pathname}?${url}`, { scroll: false });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseSearch(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    go({ ...searchDraftToUrl(draft), run: '1' });
  };

  const download = (format: ExportFormat) => {
    if (!query) {
      return;
    }
    setExporting({ format });
    exportMessages(topic, query, format).then(
      () => setExporting({}),
      (failure: unknown) =>
        setExporting({ error: failure instanceof Error ? failure.message : String(failure) }),
    );
  };

  const set = <K extends keyof SearchDraft>(key: K, value: SearchDraft[K]) =>
    setDraft({ ...draft, [key]: value });
  const text = (key: keyof SearchDraft, label: string, placeholder?: string, hint?: string) => (
    <Field id={`search-${key}`} label={label} error={errors[key]} hint={hint}>
      {(props) => (
        <input
          {...props}
          value={draft[key]}
          placeholder={placeholder}
          onChange={(event) => set(key, event.target.value as never)}
          className={controlClass}
          autoComplete="off"
        />
      )}
    </Field>
  );
  const { page, error, loading } = result;
  const positioned = draft.start === 'offset' || draft.start === 'timestamp';

  return (
    <div className="space-y-4">
      <form
        noValidate
        onSubmit={submit}
        aria-label="Search messages"
        data-testid="search-form"
        className="space-y-3"
      >
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          {text('key', 'Key')}
          <Field id="search-keyMatch" label="Key match">
            {(props) => (
              <select
                {...props}
                value={draft.keyMatch}
                onChange={(event) => set('keyMatch', event.target.value === 'equals' ? 'equals' : 'contains')}
                className={controlClass}
              >
                <option value="contains">contains</option>
                <option value="equals">equals</option>
              </select>
            )}
          </Field>
          {text('header', 'Header name')}
          {text('headerValue', 'Header value', 'any')}
          {text('text', 'Value contains')}
          {text('field', 'JSON field', 'location.country')}
          {text('fieldValue', 'equals', 'France')}
          <SelectField
            id="search-partition"
            label="Partition"
            error={errors.partition}
            value={draft.partition}
            options={partitionOptions(partitions, 'all')}
            onChange={(value) => set('partition', value)}
          />
          <SelectField
            id="search-start"
            label="Scan"
            value={draft.start}
            options={STARTS}
            onChange={(value) => set('start', value)}
          />
          {draft.start === 'offset' && text('offset', 'Offset')}
          {draft.start === 'timestamp' && (
            <LocalTimeField
              id="search-at"
              label="From (local time)"
              error={errors.at}
              value={draft.at}
              onChange={(value) => set('at', value)}
            />
          )}
          {positioned && (
            <SelectField
              id="search-direction"
              label="Order"
              value={draft.direction}
              options={ORDER_OPTIONS}
              onChange={(value) => set('direction', value)}
            />
          )}
          {text(
            'budget',
            'Scan budget',
            undefined,
            `messages per call, at most ${formatCount(SEARCH_MAX_BUDGET)}`,
          )}
          {text('maxMatches', 'Max matches', undefined, `per call, at most ${SEARCH_MAX_MATCHES}`)}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={loading} data-testid="search">
            {loading ? 'Searching…' : 'Search'}
          </Button>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="h-4 w-4 accent-indigo-600"
              checked={unmasked}
              onChange={(event) => setUnmasked(event.target.checked)}
            />
            Show personal fields (admins)
          </label>
        </div>
        {errors.form && <ErrorNotice>{errors.form}</ErrorNotice>}
      </form>

      {error && <ErrorNotice title="Search failed">{error}</ErrorNotice>}
      {!submitted ? (
        <EmptyState title="Search this topic">
          Filters run on the server; each call scans at most the budget and can be continued.
        </EmptyState>
      ) : loading && !page ? (
        <SkeletonRows rows={3} label="Searching" />
      ) : page ? (
        <div className="space-y-3" aria-busy={loading}>
          <Progress page={page} />
          <div className="flex flex-wrap gap-2">
            <Button
              variant="primary"
              size="sm"
              data-testid="search-continue"
              disabled={!page.nextCursor || loading}
              onClick={() =>
                page.nextCursor && go({ ...searchDraftToUrl(fromUrl), run: '1', cursor: page.nextCursor })
              }
            >
              {page.nextCursor ? 'Continue' : 'Done: nothing left to scan'}
            </Button>
            <Button
              size="sm"
              data-testid="export-jsonl"
              disabled={Boolean(exporting.format)}
              onClick={() => download('jsonl')}
            >
              {exporting.format === 'jsonl' ? 'Exporting…' : 'Export JSON lines'}
            </Button>
            <Button
              size="sm"
              data-testid="export-csv"
              disabled={Boolean(exporting.format)}
              onClick={() => download('csv')}
            >
              {exporting.format === 'csv' ? 'Exporting…' : 'Export CSV'}
            </Button>
          </div>
          {exporting.error && <ErrorNotice title="Export failed">{exporting.error}</ErrorNotice>}
          {page.items.length === 0 ? (
            <EmptyState title="No matches in this part">
              {page.nextCursor ? 'Continue to scan further.' : 'Nothing in the topic matches these filters.'}
            </EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-xs" data-testid="search-results">
                <thead className="text-slate-500 dark:text-slate-400">
                  <tr>
                    <th className="w-6 px-2 py-1" aria-label="Expand" />
                    <th className="px-2 py-1">Partition</th>
                    <th className="px-2 py-1">Offset</th>
                    <th className="px-2 py-1">Time</th>
                    <th className="px-2 py-1">Key</th>
                    <th className="px-2 py-1">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((message) => (
                    <ResultRow key={`${message.partition}-${message.offset}`} message={message} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </div>
  );
}
