'use client';

import type { TopicConfigKey } from '@userstream/contracts';
import { controlClass, type ControlProps } from '@/components/ui/field';
import { CONFIG_CHOICES } from '@/lib/forms/topic-forms';

/** One allow-listed setting: a select for the enumerated ones, a numeric text box for the others. */
export function ConfigInput({
  name,
  value,
  onChange,
  blankLabel,
  disabled,
  ...props
}: ControlProps & {
  name: TopicConfigKey;
  value: string;
  onChange: (value: string) => void;
  /** The select's empty choice ("broker default"); selects without it always hold a value. */
  blankLabel?: string;
  disabled?: boolean;
}) {
  const choices = CONFIG_CHOICES[name];
  if (choices) {
    return (
      <select
        {...props}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        className={controlClass}
      >
        {(blankLabel !== undefined || !choices.includes(value)) && (
          <option value="">{blankLabel ?? value}</option>
        )}
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...props}
      inputMode="numeric"
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      className={`${controlClass} font-mono`}
      autoComplete="off"
    />
  );
}
