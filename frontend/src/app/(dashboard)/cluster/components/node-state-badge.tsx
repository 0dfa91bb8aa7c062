import type { NodeState } from '@userstream/contracts';

const tones: Record<NodeState, string> = {
  up: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200',
  down: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-200',
};

export function NodeStateBadge({ state }: { state: NodeState }) {
  return (
    <span
      data-testid="node-state"
      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${tones[state]}`}
    >
      {state}
    </span>
  );
}
