'use client';

import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { getAuthState, reportUnauthorized, subscribeAuth } from '@/lib/auth/auth-token';
import { createLiveSocket, type LiveSocket } from './socket';

export type LiveConnectionState = 'connecting' | 'connected' | 'disconnected';

/** One socket per browser tab, opened by the first component that asks for it. */
class LiveConnection {
  private socket: LiveSocket | undefined;
  private readonly listeners = new Set<() => void>();
  state: LiveConnectionState = 'connecting';
  error: string | undefined;

  constructor(readonly backendUrl: string) {}

  /** Kept open for the life of the tab once opened: moving between pages keeps the connection. */
  acquire(): LiveSocket {
    if (!this.socket) {
      const socket = createLiveSocket(this.backendUrl, () => getAuthState().token);
      const set = (state: LiveConnectionState, error?: string) => {
        this.state = state;
        this.error = error;
        this.listeners.forEach((listener) => listener());
      };
      socket.on('connect', () => set('connected'));
      socket.on('disconnect', () => set('disconnected'));
      socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
        set('disconnected', error.message);
        // the gateway refuses a handshake without a valid token with an AuthErrorCode in `data.code`
        const code = error.data?.code;
        if (typeof code === 'string' && code.startsWith('AUTH_')) {
          reportUnauthorized(code);
        }
      });
      socket.connect();
      // a refused handshake is not retried by socket.io: reconnect with the new token after a sign-in
      let token = getAuthState().token;
      subscribeAuth(() => {
        if (getAuthState().token === token) {
          return;
        }
        token = getAuthState().token;
        socket.disconnect().connect();
      });
      this.socket = socket;
    }
    return this.socket;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const LiveContext = createContext<LiveConnection | undefined>(undefined);

/** Gives client components the backend's public URL (read by the root layout at run time). */
export function LiveProvider({ backendUrl, children }: { backendUrl: string; children: ReactNode }) {
  const connection = useMemo(() => new LiveConnection(backendUrl), [backendUrl]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

function useConnection(): LiveConnection {
  const connection = useContext(LiveContext);
  if (!connection) {
    throw new Error('useLiveSocket needs a <LiveProvider>');
  }
  return connection;
}

/**
 * Runs `attach` with the live socket while the component is mounted; `attach` registers handlers and
 * returns the function that removes them. Handlers must not set React state per record.
 */
export function useLiveSocket(attach: (socket: LiveSocket) => () => void): void {
  const connection = useConnection();
  useEffect(() => {
    const socket = connection.acquire();
    const detach = attach(socket);
    return detach;
  }, [connection, attach]);
}

export function useLiveConnectionState(): {
  state: LiveConnectionState;
  error: string | undefined;
  url: string;
} {
  const connection = useConnection();
  const state = useSyncExternalStore(
    connection.subscribe,
    () => connection.state,
    () => 'connecting' as const,
  );
  return { state, error: connection.error, url: connection.backendUrl };
}
