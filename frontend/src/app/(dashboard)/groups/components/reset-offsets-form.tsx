'use client';

import { type ConsumerGroupDetail, OffsetResetRequest, type OffsetResetResult } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field, LocalTimeField } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { resetGroupOffsets } from '@/lib/api/consumer-groups';
import { errorsFromApi, type FieldErrors, fieldErrors, friendly, numberField } from '@/lib/forms/run-params';
import { formatCount } from '@/lib/format';

type Kind = 'earliest' | 'latest' | 'timestamp' | 'offset';

interface Draft {
  topic: string;
  kind: Kind;
  time: string;
  offset: string;
  partition: string;
}

/** The request a draft stands for, validated by the contract; nothing is sent unless it passes. */
function toRequest(draft: Draft, dryRun: boolean) {
  const to =
    draft.kind === 'timestamp'
      ? { timestamp: draft.time ? new Date(draft.time).getTime() : undefined }
      : draft.kind === 'offset'
        ? { offset: numberField(draft.offset) }
        : draft.kind;
  const body = {
    topic: draft.topic,
    to,
    dryRun,
    ...(draft.partition === '' ? {} : { partitions: [Number(draft.partition)] }),
  };
  return OffsetResetRequest.safeParse(body, { error: friendly });
}

const th = 'py-1.5 pr-3 font-semibold';

/** Preview (dry run) and reset of one topic's offsets; the reset needs a group without members. */
export function ResetOffsetsForm({ group, onReset }: { group: ConsumerGroupDetail; onReset: () => void }) {
  const topics = [...new Set(group.offsets.map((entry) => entry.topic))];
  const [draft, setDraft] = useState<Draft>({
    topic: topics[0] ?? '',
    kind: 'latest',
    time: '',
    offset: '',
    partition: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<OffsetResetResult>();
  const partitions = group.offsets.filter((entry) => entry.topic === draft.topic).map((e) => e.partition);
  const empty = group.members === 0 && (group.state === 'Empty' || group.state === 'Dead');
  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setResult(undefined);
  };

  const send = (dryRun: boolean) => {
    const parsed = toRequest(draft, dryRun);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    resetGroupOffsets(group.groupId, parsed.data).then(
      (answer) => {
        setBusy(false);
        setResult(answer);
        if (!dryRun) {
          onReset();
        }
      },
      (failure: unknown) => {
        setBusy(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  if (topics.length === 0) {
    return <p className="text-sm text-slate-500 dark:text-slate-400">The group has no offsets to reset.</p>;
  }
  return (
    <form
      noValidate
      aria-label="Reset offsets"
      className="space-y-3"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        send(true);
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="reset-topic" label="Topic" error={errors.topic}>
          {(props) => (
            <select
              {...props}
              value={draft.topic}
              onChange={(event) => set({ topic: event.target.value, partition: '' })}
              className={controlClass}
            >
              {topics.map((topic) => (
                <option key={topic}>{topic}</option>
              ))}
            </select>
          )}
        </Field>
        <Field id="reset-partition" label="Partitions" error={errors.partitions}>
          {(props) => (
            <select
              {...props}
              value={draft.partition}
              onChange={(event) => set({ partition: event.target.value })}
              className={controlClass}
            >
              <option value="">All</option>
              {partitions.map((partition) => (
                <option key={partition} value={partition}>
                  {partition}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="reset-to" label="Reset to" error={errors.to}>
          {(props) => (
            <select
              {...props}
              value={draft.kind}
              onChange={(event) => set({ kind: event.target.value as Kind })}
              className={controlClass}
            >
              <option value="earliest">Earliest</option>
              <option value="latest">Latest</option>
              <option value="timestamp">A time</option>
              <option value="offset">An exact offset</option>
            </select>
          )}
        </Field>
        {draft.kind === 'timestamp' && (
          <LocalTimeField
            id="reset-time"
            label="Time"
            error={errors['to.timestamp']}
            value={draft.time}
            onChange={(value) => set({ time: value })}
          />
        )}
        {draft.kind === 'offset' && (
          <Field id="reset-offset" label="Offset" error={errors['to.offset']}>
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={draft.offset}
                onChange={(event) => set({ offset: event.target.value })}
                className={controlClass}
                autoComplete="off"
              />
            )}
          </Field>
        )}
      </div>
      {errors.form && <ErrorNotice title="Not reset">{errors.form}</ErrorNotice>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy} data-testid="reset-preview">
          Preview
        </Button>
        <Button
          variant="danger"
          disabled={busy || !empty}
          onClick={() => send(false)}
          data-testid="reset-apply"
          aria-describedby={empty ? undefined : 'reset-blocked'}
        >
          Reset
        </Button>
        {!empty && (
          <p id="reset-blocked" className="text-xs text-slate-500 dark:text-slate-400">
            Stop the group&apos;s {group.members} member{group.members === 1 ? '' : 's'} first: a reset is
            only allowed while the group is empty.
          </p>
        )}
      </div>
      {result && (
        <div className="space-y-2" data-testid="reset-result" role="status">
          <p className="text-sm">
            {result.dryRun ? 'Preview' : 'Reset done'}: lag {formatCount(result.totalLag)} →{' '}
            <span className="font-semibold tabular-nums" data-testid="reset-new-lag">
              {formatCount(result.newTotalLag)}
            </span>
          </p>
          <table aria-label="Resulting offsets" className="w-full max-w-xl text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className={th}>
                  Partition
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Committed
                </th>
                <th scope="col" className={`${th} text-right`}>
                  New offset
                </th>
                <th scope="col" className={`${th} text-right`}>
                  New lag
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {result.partitions.map((entry) => (
                <tr key={entry.partition}>
                  <td className="py-1.5 pr-3 tabular-nums">{entry.partition}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{entry.committed ?? '—'}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{entry.newOffset}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(entry.newLag)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
