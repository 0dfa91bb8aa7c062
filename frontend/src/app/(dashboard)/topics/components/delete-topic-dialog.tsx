'use client';

import type { TopicSummary } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { controlClass, Field } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { deleteTopic } from '@/lib/api/topics';

type Deletable = Pick<TopicSummary, 'name' | 'internal' | 'pipeline'>;

function DeleteForm({
  topic,
  onCancel,
  onDeleted,
}: {
  topic: Deletable;
  onCancel: () => void;
  onDeleted: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirmed = typed === topic.name;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed) {
      return;
    }
    setBusy(true);
    setError(undefined);
    deleteTopic(topic.name, force).then(onDeleted, (failure: unknown) => {
      setBusy(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    });
  };

  return (
    <form noValidate onSubmit={submit} className="space-y-3 text-sm">
      <p>
        This deletes <code className="font-mono font-semibold break-all">{topic.name}</code> and every message
        in it. It cannot be undone.
      </p>
      {topic.internal && (
        <p className="text-amber-800 dark:text-amber-200">
          Kafka&apos;s internal topics cannot be deleted here.
        </p>
      )}
      {topic.pipeline && (
        <label className="flex items-start gap-2 text-amber-800 dark:text-amber-200">
          <input
            type="checkbox"
            className="mt-0.5 h-4 w-4 accent-rose-600"
            checked={force}
            onChange={(event) => setForce(event.target.checked)}
          />
          <span>This is a pipeline topic: deleting it stalls ingestion. Force it (admins only).</span>
        </label>
      )}
      <Field id="delete-topic-confirm" label={`Type ${topic.name} to confirm`}>
        {(props) => (
          <input
            {...props}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            className={`${controlClass} font-mono`}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      {error && <ErrorNotice title="Not deleted">{error}</ErrorNotice>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="danger" disabled={!confirmed || busy} data-testid="confirm-delete">
          {busy ? 'Deleting…' : 'Delete topic'}
        </Button>
      </div>
    </form>
  );
}

/** Deletion behind typing the topic's name; the API's refusal (pipeline, internal) is shown as it says it. */
export function DeleteTopicDialog({
  topic,
  onClose,
  onDeleted,
}: {
  topic: Deletable | undefined;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <Dialog open={topic !== undefined} onClose={onClose} title="Delete topic" testId="delete-topic-dialog">
      {/* keyed, so each topic starts with an empty confirmation */}
      {topic && <DeleteForm key={topic.name} topic={topic} onCancel={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}
