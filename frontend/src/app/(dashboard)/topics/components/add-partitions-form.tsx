'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { controlClass, Field } from '@/components/ui/field';
import { ErrorNotice } from '@/components/ui/notice';
import { addPartitions } from '@/lib/api/topics';
import { errorsFromApi, type FieldErrors } from '@/lib/forms/run-params';
import { parseAddPartitions } from '@/lib/forms/topic-forms';

/** Raises the partition count; keys then map to other partitions, which the form says. */
export function AddPartitionsForm({
  topic,
  current,
  onAdded,
}: {
  topic: string;
  current: number;
  onAdded: () => void;
}) {
  const [count, setCount] = useState(String(current + 1));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAddPartitions(count, current);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    addPartitions(topic, parsed.value).then(
      () => {
        setSaving(false);
        onAdded();
      },
      (failure: unknown) => {
        setSaving(false);
        setErrors(errorsFromApi(failure));
      },
    );
  };

  return (
    <form noValidate onSubmit={submit} aria-label="Add partitions" className="space-y-3">
      <Field
        id="partition-count"
        label="New partition count"
        error={errors.count}
        hint={`now ${current}; partitions can only be added, and keyed records then map to other partitions`}
      >
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={count}
            disabled={saving}
            onChange={(event) => setCount(event.target.value)}
            className={`${controlClass} max-w-40`}
            autoComplete="off"
          />
        )}
      </Field>
      {errors.form && <ErrorNotice title="Not changed">{errors.form}</ErrorNotice>}
      <Button type="submit" disabled={saving}>
        {saving ? 'Adding…' : 'Add partitions'}
      </Button>
    </form>
  );
}
