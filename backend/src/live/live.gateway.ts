import { HttpException, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  LiveFilter,
  type LiveSubscribeResult,
  type ServerToClientEvents,
} from '@userstream/contracts';
import type { Namespace, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { handshakeToken } from '../auth/bearer-token.js';
import { LiveStatsService } from './live-stats.service.js';
import { LiveStreamService } from './live-stream.service.js';

export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/** How the services send: only events of the contract's map, with their payload types. */
export interface LiveEmitter {
  toAll<E extends keyof ServerToClientEvents>(event: E, ...args: Args<E>): void;
  toRoom<E extends keyof ServerToClientEvents>(room: string, event: E, ...args: Args<E>): void;
}

/**
 * The `/live` socket.io namespace (CORS from the config, set by `LiveIoAdapter`). Validates what
 * clients send and hands it to the services, which emit through the typed `LiveEmitter`.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, path: LIVE_SOCKET_PATH })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LiveGateway.name);

  constructor(
    private readonly auth: AuthService,
    private readonly stream: LiveStreamService,
    private readonly stats: LiveStatsService,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(error as Error),
      );
    });
    const emitter: LiveEmitter = {
      toAll: (event, ...args) => void namespace.emit(event, ...args),
      toRoom: (room, event, ...args) => void namespace.to(room).emit(event, ...args),
    };
    this.stream.attach(emitter);
    this.stats.attach(emitter);
  }

  /**
   * With AUTH_MODE=token a client connects only with a valid token (any role) in the handshake's
   * `auth.token`, an Authorization header or `?access_token=`. A refusal reaches the client as a
   * `connect_error` whose `data.code` is the AuthErrorCode.
   */
  private async authenticate(socket: LiveSocket): Promise<void> {
    if (this.auth.mode === 'none') return;
    try {
      await this.auth.authenticate(handshakeToken(socket.handshake));
    } catch (error) {
      const response = error instanceof HttpException ? error.getResponse() : undefined;
      const code =
        typeof response === 'object' && response !== null && 'code' in response ? response.code : undefined;
      const refusal = new Error(error instanceof Error ? error.message : 'authentication failed');
      Object.assign(refusal, { data: { code: code ?? 'AUTH_TOKEN_INVALID' } });
      throw refusal;
    }
  }

  /** A new client gets the latest stats at once instead of waiting for the next second. */
  handleConnection(socket: LiveSocket): void {
    const latest = this.stats.latest();
    if (latest) socket.emit('stats', latest);
  }

  handleDisconnect(socket: LiveSocket): void {
    this.stream.unsubscribe(socket.id);
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveSubscribeResult> {
    const parsed = LiveFilter.safeParse(body ?? {});
    if (!parsed.success) {
      const error = {
        code: 'INVALID_FILTER' as const,
        message: 'The subscription filter is not valid',
        details: parsed.error.issues.map((issue) => ({
          field: issue.path.join('.') || '(root)',
          message: issue.message,
        })),
      };
      this.logger.debug(`refused filter from ${socket.id}: ${JSON.stringify(error.details)}`);
      socket.emit('error', error);
      return { ok: false, error };
    }
    const { room, left } = this.stream.subscribe(socket.id, parsed.data);
    if (left) await socket.leave(left);
    await socket.join(room);
    return { ok: true, filter: parsed.data };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket): Promise<{ ok: true }> {
    const room = this.stream.unsubscribe(socket.id);
    if (room) await socket.leave(room);
    return { ok: true };
  }
}
