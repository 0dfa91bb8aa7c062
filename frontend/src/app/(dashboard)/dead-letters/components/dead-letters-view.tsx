'use client';

import { DeadLetterKind, type DeadLetterRecord, type RedriveRequest } from '@userstream/contracts';
import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { listDeadLetters } from '@/lib/api/dead-letters';
import { queryKeys, useDeadLetterSummary, useInvalidate, useRedrives } from '@/lib/api/queries';
import { useMe } from '@/lib/auth/use-me';
import { formatCount } from '@/lib/format';
import { useUrlList } from '@/lib/use-url-list';
import { DeadLetterGroups } from './dead-letter-groups';
import { DeadLetterRecords } from './dead-letter-records';
import { KIND_LABELS, runLabel } from './kind-labels';
import { RedriveDialog } from './redrive-dialog';
import { RedriveHistory } from './redrive-history';

const PAGE_SIZE = 25;

interface Records {
  items: DeadLetterRecord[];
  nextCursor: string | null;
  loading: boolean;
  error?: string;
}

/** The dead-letter page: groups, the chosen group's records, redrives. Reason, run and unmasking live in the URL. */
export function DeadLettersView() {
  const { value, flag, go } = useUrlList();
  const parsedReason = DeadLetterKind.safeParse(value('reason'));
  const reason = parsedReason.success ? parsedReason.data : undefined;
  const runId = value('runId');
  const unmasked = flag('unmasked');
  const isAdmin = useMe()?.role === 'admin';
  // bumped after a redrive, so the records are read again at once (the summary and redrives are invalidated)
  const [version, setVersion] = useState(0);
  const invalidate = useInvalidate();

  const summary = useDeadLetterSummary();
  const redrives = useRedrives();

  const [records, setRecords] = useState<Records>({ items: [], nextCursor: null, loading: true });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [request, setRequest] = useState<{ body: RedriveRequest; title: string }>();

  const load = useCallback(
    (cursor?: string) => {
      setRecords((prev) => ({ ...prev, loading: true, error: undefined }));
      return listDeadLetters({ reason, runId: runId || undefined, cursor, unmasked, limit: PAGE_SIZE }).then(
        (page) =>
          setRecords((prev) => ({
            items: cursor ? [...prev.items, ...page.items] : page.items,
            nextCursor: page.nextCursor,
            loading: false,
          })),
        (error: unknown) =>
          setRecords((prev) => ({
            ...prev,
            loading: false,
            error: error instanceof Error ? error.message : String(error),
          })),
      );
    },
    [reason, runId, unmasked],
  );
  useEffect(() => {
    setSelected(new Set());
    void load();
  }, [load, version]);

  const choose = (nextReason: DeadLetterKind | undefined, nextRun: string | undefined) =>
    go({ values: { reason: nextReason, runId: nextRun } });
  const scope = reason
    ? `${KIND_LABELS[reason]}${runId ? ` in run ${runId === 'none' ? '(none)' : runLabel(runId)}` : ''}`
    : 'all reasons';

  if (summary.isPending) {
    return <SkeletonRows rows={6} label="Loading dead letters" />;
  }
  return (
    <div className="space-y-4">
      {summary.error && <ErrorNotice title="Dead letters unavailable">{summary.error.message}</ErrorNotice>}
      {summary.data && summary.data.total === 0 ? (
        <EmptyState title="No dead letters">
          Every record the processors read was stored. Records they cannot store show up here with the reason.
        </EmptyState>
      ) : (
        summary.data && (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              <span className="font-semibold tabular-nums" data-testid="dead-letter-total">
                {formatCount(summary.data.total)}
              </span>{' '}
              dead letters.
            </p>
            <DeadLetterGroups summary={summary.data} reason={reason ?? ''} runId={runId} onChoose={choose} />
            <section aria-label="Dead letter records" className="space-y-3">
              <div className="flex flex-wrap items-center gap-3">
                <h2 className="text-base font-semibold">Records: {scope}</h2>
                {(reason || runId) && (
                  <Button size="sm" variant="ghost" onClick={() => choose(undefined, undefined)}>
                    Show all
                  </Button>
                )}
                {isAdmin && (
                  <label className="ml-auto flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={unmasked}
                      onChange={(event) => go({ flags: { unmasked: event.target.checked } })}
                      data-testid="show-unmasked"
                    />
                    Show original values unmasked (audited)
                  </label>
                )}
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <Button
                  variant="danger"
                  size="sm"
                  disabled={!isAdmin || selected.size === 0}
                  onClick={() =>
                    setRequest({ body: { ids: [...selected] }, title: `Redrive ${selected.size} selected` })
                  }
                  data-testid="redrive-selected"
                >
                  Redrive selected ({selected.size})
                </Button>
                {reason && (
                  <Button
                    variant="danger"
                    size="sm"
                    disabled={!isAdmin}
                    onClick={() =>
                      setRequest({
                        body: { reason, ...(runId ? { runId } : {}) },
                        title: `Redrive all: ${scope}`,
                      })
                    }
                    data-testid="redrive-all"
                  >
                    Redrive all: {scope}
                  </Button>
                )}
                {!isAdmin && (
                  <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="redrive-admin-only">
                    Only admins can redrive dead letters: it sends records back into the pipeline.
                  </p>
                )}
              </div>
              {records.error && <ErrorNotice title="Records unavailable">{records.error}</ErrorNotice>}
              {records.loading && records.items.length === 0 ? (
                <SkeletonRows rows={5} label="Loading dead letter records" />
              ) : records.items.length === 0 && !records.error ? (
                <EmptyState title="No dead letters here">Choose another reason or run.</EmptyState>
              ) : (
                <DeadLetterRecords
                  records={records.items}
                  selected={selected}
                  selectable={isAdmin}
                  onSelect={setSelected}
                />
              )}
              {records.nextCursor && (
                <Button
                  size="sm"
                  disabled={records.loading}
                  onClick={() => void load(records.nextCursor ?? undefined)}
                  data-testid="records-more"
                >
                  Older records
                </Button>
              )}
            </section>
          </>
        )
      )}
      {redrives.data && <RedriveHistory redrives={redrives.data} />}
      <RedriveDialog
        request={request?.body}
        title={request?.title ?? ''}
        onClose={() => setRequest(undefined)}
        onDone={() => {
          setVersion((v) => v + 1);
          void invalidate(queryKeys.deadLetters.all);
        }}
      />
    </div>
  );
}
