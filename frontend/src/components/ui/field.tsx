import type { ReactNode } from 'react';

export const controlClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm placeholder:text-slate-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-500/40 aria-invalid:border-rose-500 dark:border-slate-700 dark:bg-slate-950 dark:placeholder:text-slate-500 dark:aria-invalid:border-rose-400';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A label, a control (given its wiring by render prop), a hint and an error message under it. */
export function Field({
  id,
  label,
  error,
  hint,
  className = '',
  children,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean);
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': described.length > 0 ? described.join(' ') : undefined,
      })}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p
          id={`${id}-error`}
          data-testid={`error-${id}`}
          className="text-xs font-medium text-rose-600 dark:text-rose-400"
        >
          {error}
        </p>
      )}
    </div>
  );
}

export interface SelectOption<T extends string> {
  value: T;
  label: string;
}

/** A labelled select of fixed options. */
export function SelectField<T extends string>({
  id,
  label,
  error,
  value,
  options,
  disabled,
  onChange,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  value: T;
  options: readonly SelectOption<T>[];
  disabled?: boolean;
  onChange: (value: T) => void;
}) {
  return (
    <Field id={id} label={label} error={error}>
      {(props) => (
        <select
          {...props}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as T)}
          className={controlClass}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A topic's partitions as options, after one for "no partition in particular" labelled `any`. */
export const partitionOptions = (partitions: number, any: string): SelectOption<string>[] => [
  { value: '', label: any },
  ...Array.from({ length: partitions }, (_, p) => ({ value: String(p), label: String(p) })),
];

/** A labelled local date and time to the second, as `datetime-local` gives it (no zone). */
export function LocalTimeField({
  id,
  label,
  error,
  value,
  className,
  onChange,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  value: string;
  className?: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} error={error} className={className ?? ''}>
      {(props) => (
        <input
          {...props}
          type="datetime-local"
          step={1}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={controlClass}
        />
      )}
    </Field>
  );
}
