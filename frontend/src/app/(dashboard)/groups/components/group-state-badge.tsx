import type { GroupState } from '@userstream/contracts';

const tones: Record<GroupState, string> = {
  Stable: 'bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300',
  Empty: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  Dead: 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
  PreparingRebalance: 'bg-amber-50 text-amber-700 dark:bg-amber-950 dark:text-amber-300',
  CompletingRebalance: 'bg-amber-50 text-amber-700 dark:bg-amber-950 dark:text-amber-300',
  Unknown: 'bg-rose-50 text-rose-700 dark:bg-rose-950 dark:text-rose-300',
};

export function GroupStateBadge({ state }: { state: GroupState }) {
  return (
    <span data-testid="group-state" className={`rounded px-1.5 py-0.5 text-xs font-medium ${tones[state]}`}>
      {state}
    </span>
  );
}
