'use client';

import { TopicConfigKey, type TopicConfigEntry } from '@userstream/contracts';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { alterTopicConfigs } from '@/lib/api/topics';
import { errorsFromApi, type FieldErrors } from '@/lib/forms/run-params';
import { type ConfigDraft, configDraftOf, parseConfigPatch } from '@/lib/forms/topic-forms';
import { ConfigInput } from './config-input';

function ConfigForm({
  topic,
  configs,
  onSaved,
  onCancel,
}: {
  topic: string;
  configs: TopicConfigEntry[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const editable = configs.filter((c) => c.editable && TopicConfigKey.safeParse(c.name).success);
  const [initial] = useState(() => configDraftOf(editable));
  const [draft, setDraft] = useState<ConfigDraft>(initial);
  const [reset, setReset] = useState<ReadonlySet<TopicConfigKey>>(new Set());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseConfigPatch(draft, initial, reset);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    alterTopicConfigs(topic, { configs: parsed.value }).then(onSaved, (failure: unknown) => {
      setSaving(false);
      const apiErrors = errorsFromApi(failure);
      setErrors(
        Object.fromEntries(Object.entries(apiErrors).map(([k, v]) => [k.replace(/^configs\./, ''), v])),
      );
    });
  };

  const toggleReset = (key: TopicConfigKey, on: boolean) => {
    const next = new Set(reset);
    if (on) {
      next.add(key);
    } else {
      next.delete(key);
    }
    setReset(next);
  };

  return (
    <form
      noValidate
      onSubmit={submit}
      aria-label="Edit settings"
      data-testid="config-form"
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        {editable.map((entry) => {
          const key = TopicConfigKey.parse(entry.name);
          const id = `config-${key.replaceAll('.', '-')}`;
          return (
            <div key={key} className="space-y-1">
              <Field id={id} label={<span className="font-mono">{key}</span>} error={errors[key]}>
                {(props) => (
                  <ConfigInput
                    {...props}
                    name={key}
                    value={draft[key] ?? ''}
                    disabled={saving || reset.has(key)}
                    onChange={(value) => setDraft({ ...draft, [key]: value })}
                  />
                )}
              </Field>
              {entry.source === 'topic' && (
                <label className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
                  <input
                    type="checkbox"
                    className="h-3.5 w-3.5 accent-indigo-600"
                    checked={reset.has(key)}
                    onChange={(event) => toggleReset(key, event.target.checked)}
                  />
                  Back to the broker default
                </label>
              )}
            </div>
          );
        })}
      </div>
      {errors.form && <ErrorNotice title="Not saved">{errors.form}</ErrorNotice>}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </Button>
        <Button onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

const sourceLabel = (entry: TopicConfigEntry) => (entry.source === 'topic' ? 'override' : entry.source);

/** Every setting with its source; the allow-listed ones can be changed or put back to the default. */
export function TopicConfigs({
  topic,
  configs,
  onChanged,
}: {
  topic: string;
  configs: TopicConfigEntry[];
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? configs : configs.filter((c) => c.editable || !c.isDefault);
  return (
    <div className="space-y-3">
      {editing ? (
        <ConfigForm
          topic={topic}
          configs={configs}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => setEditing(true)} data-testid="edit-configs">
            Edit settings
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setShowAll(!showAll)} aria-pressed={showAll}>
            {showAll ? 'Only editable and overridden' : `All ${configs.length} settings`}
          </Button>
        </div>
      )}
      <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        {shown.map((entry) => (
          <div
            key={entry.name}
            className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 py-1.5"
            data-testid="config-row"
          >
            <dt className="font-mono text-xs break-all">{entry.name}</dt>
            <dd className="row-span-2 self-center text-right font-mono text-xs break-all">
              {entry.sensitive ? '(sensitive)' : (entry.value ?? '–')}
            </dd>
            <dd className="text-xs text-slate-500">
              {sourceLabel(entry)}
              {entry.editable && ' · editable'}
              {entry.readOnly && ' · read-only'}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
