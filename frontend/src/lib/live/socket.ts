import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  type ServerToClientEvents,
} from '@userstream/contracts';
import { io, type Socket } from 'socket.io-client';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The browser's connection to the backend's `/live` namespace. It goes to the backend directly (the
 * Next.js `/api` proxy cannot carry websockets), over websockets only; it reconnects by itself. `token`
 * is asked again at every (re)connection, so a sign-in applies at the next one; the gateway reads it
 * from the handshake's `auth.token`.
 */
export function createLiveSocket(backendUrl: string, token: () => string | null): LiveSocket {
  return io(new URL(LIVE_NAMESPACE, backendUrl).toString(), {
    path: LIVE_SOCKET_PATH,
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelayMax: 5_000,
    auth: (send) => {
      const current = token();
      send(current ? { token: current } : {});
    },
  });
}
