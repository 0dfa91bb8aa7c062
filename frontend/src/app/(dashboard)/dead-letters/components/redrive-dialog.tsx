'use client';

import type { RedriveRequest, RedriveResult } from '@userstream/contracts';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorNotice } from '@/components/ui/notice';
import { redriveDeadLetters } from '@/lib/api/dead-letters';
import { formatCount } from '@/lib/format';

/** What the counts of a result say, in words. */
function Counts({ result }: { result: RedriveResult }) {
  const skipped = result.skippedTruncated + result.skippedOtherTopic + result.unknown;
  return (
    <ul className="space-y-0.5 text-sm">
      <li>
        {result.dryRun ? 'Would redrive' : 'Redriven'}:{' '}
        <span className="font-semibold tabular-nums" data-testid="redrive-count">
          {formatCount(result.redriven)}
        </span>
      </li>
      <li>
        Already redriven:{' '}
        <span className="tabular-nums" data-testid="redrive-already">
          {formatCount(result.alreadyRedriven)}
        </span>
      </li>
      {skipped > 0 && (
        <li>
          Skipped: {formatCount(skipped)} ({formatCount(result.skippedTruncated)} cut or empty,{' '}
          {formatCount(result.skippedOtherTopic)} from a topic the processors do not read,{' '}
          {formatCount(result.unknown)} unknown)
        </li>
      )}
      {result.skippedFailedAgain > 0 && (
        <li data-testid="redrive-failed-again">
          Left out: {formatCount(result.skippedFailedAgain)} that failed again after a redrive (select them to
          redrive them anyway)
        </li>
      )}
      {result.more && <li>More letters match than one redrive takes: redrive again for the rest.</li>}
    </ul>
  );
}

/**
 * Confirms a redrive: a dry run counts what would be produced first, then the admin confirms. A letter is
 * never produced twice, so confirming again (or a second admin doing the same) only counts it as already
 * redriven.
 */
export function RedriveDialog({
  request,
  title,
  onClose,
  onDone,
}: {
  request: RedriveRequest | undefined;
  title: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const [preview, setPreview] = useState<RedriveResult>();
  const [result, setResult] = useState<RedriveResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setPreview(undefined);
    setResult(undefined);
    setError(undefined);
    if (!request) {
      return;
    }
    let active = true;
    redriveDeadLetters({ ...request, dryRun: true }).then(
      (answer) => active && setPreview(answer),
      (failure: unknown) => active && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      active = false;
    };
  }, [request]);

  const confirm = () => {
    if (!request) {
      return;
    }
    setBusy(true);
    redriveDeadLetters({ ...request, dryRun: false }).then(
      (answer) => {
        setBusy(false);
        setResult(answer);
        onDone();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };

  return (
    <Dialog open={request !== undefined} onClose={onClose} title={title} testId="redrive-dialog">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The original records go back to the topic they came from, marked as redriven, and the processors
        handle them like any other. Each dead letter is redriven at most once.
      </p>
      {error && <ErrorNotice title="Redrive failed">{error}</ErrorNotice>}
      {!preview && !error && (
        <p role="status" className="text-sm">
          Counting…
        </p>
      )}
      {result ? (
        <div role="status" data-testid="redrive-result">
          <Counts result={result} />
        </div>
      ) : (
        preview && (
          <div data-testid="redrive-preview">
            <Counts result={preview} />
          </div>
        )
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Button
            variant="danger"
            disabled={busy || !preview || preview.redriven === 0}
            onClick={confirm}
            data-testid="redrive-confirm"
          >
            Redrive {preview ? formatCount(preview.redriven) : ''}
          </Button>
        )}
      </div>
    </Dialog>
  );
}
