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
 * Next.js `/api` proxy cannot carry websockets), over websockets only; it reconnects by itself.
 */
export function createLiveSocket(backendUrl: string, token?: string): LiveSocket {
  return io(new URL(LIVE_NAMESPACE, backendUrl).toString(), {
    path: LIVE_SOCKET_PATH,
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelayMax: 5_000,
    ...(token ? { auth: { token } } : {}),
  });
}
