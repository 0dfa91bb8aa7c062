'use client';

import { useLiveConnectionState } from '@/lib/live/live-provider';

const look = {
  connected: { dot: 'bg-emerald-500', text: 'Live' },
  connecting: { dot: 'bg-amber-400 animate-pulse', text: 'Connecting' },
  disconnected: { dot: 'bg-rose-500', text: 'Disconnected' },
} as const;

export function ConnectionBadge() {
  const { state, error, url } = useLiveConnectionState();
  return (
    <span
      role="status"
      data-testid="live-connection"
      data-state={state}
      title={error ? `${url}: ${error}` : url}
      className="inline-flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
    >
      <span aria-hidden className={`h-2 w-2 rounded-full ${look[state].dot}`} />
      {look[state].text}
    </span>
  );
}
