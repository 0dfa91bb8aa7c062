'use client';

import type { LiveRunEvent, LiveStats } from '@userstream/contracts';
import { useCallback, useState } from 'react';
import { useLiveSocket } from './live-provider';

/** The latest `stats` event (once a second: a React update at 1 Hz is fine). */
export function useLiveStats(): LiveStats | undefined {
  const [stats, setStats] = useState<LiveStats>();
  useLiveSocket(
    useCallback((socket) => {
      socket.on('stats', setStats);
      return () => void socket.off('stats', setStats);
    }, []),
  );
  return stats;
}

/** Calls `onRun` for each run state change the server announces. */
export function useRunEvents(onRun: (event: LiveRunEvent) => void): void {
  useLiveSocket(
    useCallback(
      (socket) => {
        socket.on('run', onRun);
        return () => void socket.off('run', onRun);
      },
      [onRun],
    ),
  );
}
