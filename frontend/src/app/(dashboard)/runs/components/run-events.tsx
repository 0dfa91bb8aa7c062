'use client';

import type { RunEventKind } from '@userstream/contracts';
import { useLayoutEffect, useRef } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useRunEvents } from '@/lib/api/queries';
import { formatDateTime } from '@/lib/format';

const KIND_CLASS: Record<RunEventKind, string> = {
  started: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  page: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  retry: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  error: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
  completed: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  stopped: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-200',
  failed: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300',
  interrupted: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
};

/**
 * The run's event log (started, retries, errors, some source pages, its end), oldest first: the first page of
 * events, polled while the run is active and until its end event is there. Like a log, the box shows its latest
 * events (the run's end among them) and follows new ones, unless the reader has scrolled up.
 */
export function RunEvents({ runId, active }: { runId: string; active: boolean }) {
  const { data, error: failure } = useRunEvents(runId, active);
  const items = data?.items;
  const total = data?.total;
  const error = failure ? failure.message : undefined;
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    if (list.current && following.current) {
      list.current.scrollTop = list.current.scrollHeight;
    }
  }, [items?.length]);
  return (
    <Card className="space-y-2">
      <h2 className="font-semibold">Events{total !== undefined && ` (${total})`}</h2>
      {error && <ErrorNotice title="Events unavailable">{error}</ErrorNotice>}
      {!items ? (
        !error && <SkeletonRows rows={3} label="Loading the events" />
      ) : items.length === 0 ? (
        <EmptyState title="No events">This run has recorded no events (yet).</EmptyState>
      ) : (
        <ol
          ref={list}
          onScroll={({ currentTarget: box }) => {
            following.current = box.scrollHeight - box.scrollTop - box.clientHeight < 8;
          }}
          data-testid="run-events"
          aria-label="Run events"
          className="max-h-96 space-y-1 overflow-auto text-xs"
        >
          {items.map((event) => (
            <li key={event.id} data-testid="run-event" data-kind={event.kind} className="flex gap-3">
              <span className="whitespace-nowrap text-slate-500 tabular-nums">
                {formatDateTime(event.at)}
              </span>
              <span
                className={`inline-flex h-5 shrink-0 items-center rounded px-1.5 font-medium ${KIND_CLASS[event.kind]}`}
              >
                {event.kind}
              </span>
              <span className="min-w-0 break-words">{event.message}</span>
            </li>
          ))}
          {total !== undefined && total > items.length && (
            <li className="text-slate-500">… and {total - items.length} more</li>
          )}
        </ol>
      )}
    </Card>
  );
}
