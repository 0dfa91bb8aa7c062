'use client';

import type { ScheduleFirings as Firings } from '@userstream/contracts';
import { useEffect, useState } from 'react';
import { SkeletonRows } from '@/components/ui/skeleton';
import { getScheduleFirings } from '@/lib/api/schedules';
import { formatDateTime } from '@/lib/format';

/** A schedule's next five firings, in its time zone and in the browser's; loaded again when `version` changes. */
export function ScheduleFirings({ scheduleId, version }: { scheduleId: string; version: string }) {
  const [state, setState] = useState<{ data?: Firings; error?: string }>({});

  useEffect(() => {
    let active = true;
    setState({});
    getScheduleFirings(scheduleId, 5).then(
      (data) => active && setState({ data }),
      (failure: unknown) =>
        active && setState({ error: failure instanceof Error ? failure.message : String(failure) }),
    );
    return () => {
      active = false;
    };
  }, [scheduleId, version]);

  if (state.error) {
    return (
      <p className="text-xs text-rose-600 dark:text-rose-400">Next firings unavailable: {state.error}</p>
    );
  }
  if (!state.data) {
    return <SkeletonRows rows={2} label="Loading the next firings" />;
  }
  const { timezone, firings } = state.data;
  const inZone = new Intl.DateTimeFormat(undefined, {
    timeZone: timezone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  return (
    <ol aria-label="Next firings" data-testid="schedule-firings" className="space-y-0.5 text-xs tabular-nums">
      {firings.map((firing) => (
        <li key={firing} data-testid="schedule-firing" data-at={firing} className="flex flex-wrap gap-x-3">
          <span className="font-medium">
            {inZone.format(new Date(firing))} <span className="text-slate-500">{timezone}</span>
          </span>
          <span className="text-slate-500">{formatDateTime(firing)} here</span>
        </li>
      ))}
    </ol>
  );
}
