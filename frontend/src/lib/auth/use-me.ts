'use client';

import type { Me } from '@userstream/contracts';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getMe } from '@/lib/api/auth';
import { getAuthState, getServerAuthState, subscribeAuth } from './auth-token';

/** Who the backend takes the dashboard for (asked again when the token changes); undefined until it says. */
export function useMe(): Me | undefined {
  const { token } = useSyncExternalStore(subscribeAuth, getAuthState, getServerAuthState);
  const [me, setMe] = useState<Me>();
  useEffect(() => {
    let active = true;
    getMe().then(
      (answer) => active && setMe(answer),
      () => active && setMe(undefined),
    );
    return () => {
      active = false;
    };
  }, [token]);
  return me;
}
