import { Injectable } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents } from '@userstream/contracts';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';

/** What the handshake decided for a connection. */
export interface LiveSocketData {
  /** An admin asked for users unmasked (audited); everyone else gets them masked. */
  unmasked: boolean;
}
export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  DefaultEventsMap,
  LiveSocketData
>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, LiveSocketData>;
type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/**
 * How the live services send to the `/live` namespace: only events of the contract's map, with their payload
 * types. The gateway binds the namespace once socket.io has set it up; until then nothing is sent (no client
 * is connected anyway).
 */
@Injectable()
export class LiveEmitter {
  private namespace: LiveNamespace | undefined;

  bind(namespace: LiveNamespace): void {
    this.namespace = namespace;
  }

  toAll<E extends keyof ServerToClientEvents>(event: E, ...args: Args<E>): void {
    this.namespace?.emit(event, ...args);
  }

  toRoom<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Args<E>): void {
    this.namespace?.to(room).emit(event, ...args);
  }
}
