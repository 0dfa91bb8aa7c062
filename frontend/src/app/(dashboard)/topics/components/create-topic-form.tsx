'use client';

import { TOPIC_CONFIG_KEYS } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { createTopic } from '@/lib/api/topics';
import { errorsFromApi, type FieldErrors } from '@/lib/forms/run-params';
import { type CreateTopicDraft, EMPTY_TOPIC_DRAFT, parseCreateTopic } from '@/lib/forms/topic-forms';
import { ConfigInput } from './config-input';

/** Name, partitions, replication and optional settings, checked with the contract before sending. */
export function CreateTopicForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [draft, setDraft] = useState<CreateTopicDraft>(EMPTY_TOPIC_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCreateTopic(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    createTopic(parsed.value).then(
      (topic) => {
        setSaving(false);
        setDraft(EMPTY_TOPIC_DRAFT);
        onCreated(topic.name);
      },
      (failure: unknown) => {
        setSaving(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  const numberInput = (key: 'partitions' | 'replicationFactor', id: string, label: string) => (
    <Field id={id} label={label} error={errors[key]}>
      {(props) => (
        <input
          {...props}
          inputMode="numeric"
          value={draft[key]}
          disabled={saving}
          onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
          className={controlClass}
          autoComplete="off"
        />
      )}
    </Field>
  );

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label="Create a topic"
      data-testid="topic-form"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr]">
        <Field id="topic-name" label="Name" error={errors.name} hint={'letters, digits, ".", "_" and "-"'}>
          {(props) => (
            <input
              {...props}
              value={draft.name}
              disabled={saving}
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
              className={`${controlClass} font-mono`}
              autoComplete="off"
            />
          )}
        </Field>
        {numberInput('partitions', 'topic-partitions', 'Partitions')}
        {numberInput('replicationFactor', 'topic-replication', 'Replication factor')}
      </div>
      <details className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <summary className="cursor-pointer text-sm font-medium">Settings (optional)</summary>
        <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {TOPIC_CONFIG_KEYS.map((key) => (
            <Field
              key={key}
              id={`topic-config-${key.replaceAll('.', '-')}`}
              label={<span className="font-mono">{key}</span>}
              error={errors[`configs.${key}`]}
            >
              {(props) => (
                <ConfigInput
                  {...props}
                  name={key}
                  value={draft.configs[key] ?? ''}
                  blankLabel="broker default"
                  disabled={saving}
                  onChange={(value) => setDraft({ ...draft, configs: { ...draft.configs, [key]: value } })}
                />
              )}
            </Field>
          ))}
        </div>
        {errors.configs && <p className="mt-2 text-xs text-rose-600 dark:text-rose-400">{errors.configs}</p>}
      </details>
      {errors.form && <ErrorNotice title="Not created">{errors.form}</ErrorNotice>}
      <Button type="submit" variant="primary" disabled={saving} data-testid="create-topic">
        {saving ? 'Creating…' : 'Create'}
      </Button>
    </form>
  );
}
