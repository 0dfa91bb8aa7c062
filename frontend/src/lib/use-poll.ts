'use client';

import { useEffect, useState } from 'react';

export interface PollState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/** Calls `load` now and every `intervalMs`, keeping the last good answer while a refresh fails. */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number): PollState<T> {
  const [state, setState] = useState<PollState<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    let active = true;
    const tick = () => {
      load().then(
        (data) => active && setState({ data, error: undefined, loading: false }),
        (error: unknown) =>
          active &&
          setState((prev) => ({
            ...prev,
            error: error instanceof Error ? error : new Error(String(error)),
            loading: false,
          })),
      );
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [load, intervalMs]);
  return state;
}
