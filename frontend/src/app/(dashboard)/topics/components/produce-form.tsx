'use client';

import type { ProducedMessage } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field, partitionOptions, SelectField } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { produceMessage } from '@/lib/api/topics';
import { errorsFromApi, type FieldErrors } from '@/lib/forms/run-params';
import { EMPTY_PRODUCE_DRAFT, parseProduce, type ProduceDraft } from '@/lib/forms/topic-forms';

/** Sends one test message: an optional key and a JSON value, to a chosen partition or by key. */
export function ProduceForm({
  topic,
  partitions,
  onProduced,
}: {
  topic: string;
  partitions: number;
  onProduced: (message: ProducedMessage) => void;
}) {
  const [draft, setDraft] = useState<ProduceDraft>(EMPTY_PRODUCE_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [sent, setSent] = useState<ProducedMessage>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(undefined);
    const parsed = parseProduce(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    produceMessage(topic, parsed.value).then(
      (message) => {
        setSaving(false);
        setSent(message);
        onProduced(message);
      },
      (failure: unknown) => {
        setSaving(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label="Produce a test message"
      data-testid="produce-form"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="produce-key" label="Key" error={errors.key} hint="optional">
          {(props) => (
            <input
              {...props}
              value={draft.key}
              disabled={saving}
              onChange={(event) => setDraft({ ...draft, key: event.target.value })}
              className={`${controlClass} font-mono`}
              autoComplete="off"
            />
          )}
        </Field>
        <SelectField
          id="produce-partition"
          label="Partition"
          error={errors.partition}
          value={draft.partition}
          disabled={saving}
          options={partitionOptions(partitions, 'by key (or any)')}
          onChange={(partition) => setDraft({ ...draft, partition })}
        />
      </div>
      <Field id="produce-value" label="Value (JSON)" error={errors.value}>
        {(props) => (
          <textarea
            {...props}
            rows={5}
            value={draft.value}
            disabled={saving}
            spellCheck={false}
            onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            className={`${controlClass} font-mono text-xs`}
          />
        )}
      </Field>
      {errors.form && <ErrorNotice title="Not sent">{errors.form}</ErrorNotice>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={saving} data-testid="produce-message">
          {saving ? 'Sending…' : 'Produce test message'}
        </Button>
        {sent && (
          <p role="status" data-testid="produced" className="text-sm text-emerald-700 dark:text-emerald-300">
            Written to partition {sent.partition} at offset {sent.offset}.
          </p>
        )}
      </div>
    </form>
  );
}
