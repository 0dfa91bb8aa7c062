import type { RunState } from '@userstream/contracts';

const styles: Record<RunState, string> = {
  pending: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  running: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200',
  stopping: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200',
  completed: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  stopped: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
  failed: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200',
  interrupted: 'bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-200',
};

export function RunStateBadge({ state }: { state: RunState }) {
  const active = state === 'running' || state === 'pending' || state === 'stopping';
  return (
    <span
      data-testid="run-state"
      data-state={state}
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold ${styles[state]}`}
    >
      {/* a steady dot: an endless animation makes the browser draw 60 frames a second for as long as a run lasts */}
      {active && <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />}
      {state}
    </span>
  );
}
