import { ForbiddenException, HttpException, Logger } from '@nestjs/common';
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
  LIVE_AUDIT_METHOD,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  LIVE_UNMASKED_PARAM,
  LiveFilter,
  type LiveSubscribeResult,
  TailRequest,
  type TailSubscribeResult,
} from '@userstream/contracts';
import { AuditService } from '#src/audit/index.js';
import {
  AuthService,
  handshakeToken,
  LOCAL_PRINCIPAL,
  type Principal,
  isQueryFlagSet,
  roleIncludes,
} from '#src/auth/index.js';
import { clientAddressOf } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { LiveEmitter, type LiveNamespace, type LiveSocket } from './live.emitter.js';
import { LiveStatsService } from './live-stats.service.js';
import { LiveStreamService } from './live-stream.service.js';
import { TailError, TopicTailService } from './topic-tail.service.js';

/**
 * The `/live` socket.io namespace (CORS from the config, set by `LiveIoAdapter`). Validates what
 * clients send and hands it to the services, which emit through the typed `LiveEmitter` it binds the namespace to.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, path: LIVE_SOCKET_PATH })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly addressOf: ReturnType<typeof clientAddressOf>;

  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly stream: LiveStreamService,
    private readonly stats: LiveStatsService,
    private readonly tail: TopicTailService,
    private readonly emitter: LiveEmitter,
  ) {
    this.addressOf = clientAddressOf(config.http.trustProxy);
  }

  afterInit(namespace: LiveNamespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(error as Error),
      );
    });
    this.emitter.bind(namespace);
  }

  /**
   * With AUTH_MODE=token a client connects only with a valid token (any role) in the handshake's
   * `auth.token`, an Authorization header or `?access_token=`. `?unmasked=true` asks for users with their
   * personal fields: admins only (AUTH_MODE=none: the local admin), audited once per connection, refused or not.
   * A refusal reaches the client as a `connect_error` whose `data.code` is the AuthErrorCode.
   */
  private async authenticate(socket: LiveSocket): Promise<void> {
    const asked = socket.handshake.query[LIVE_UNMASKED_PARAM];
    const unmasked = isQueryFlagSet(asked);
    let principal: Principal | undefined;
    try {
      principal =
        this.auth.mode === 'none'
          ? LOCAL_PRINCIPAL
          : await this.auth.authenticate(handshakeToken(socket.handshake), this.addressOf(socket.request));
      if (unmasked && !roleIncludes(principal.role, 'admin')) {
        throw new ForbiddenException({
          code: 'AUTH_FORBIDDEN',
          message: `Unmasked users need the admin role; the token "${principal.name}" is ${principal.role}`,
        });
      }
      socket.data.unmasked = unmasked;
      if (unmasked) {
        this.auditUnmasked(socket, principal, 200, asked);
      }
    } catch (error) {
      if (unmasked) {
        this.auditUnmasked(
          socket,
          principal,
          error instanceof HttpException ? error.getStatus() : 500,
          asked,
        );
      }
      const response = error instanceof HttpException ? error.getResponse() : undefined;
      const code =
        typeof response === 'object' && response !== null && 'code' in response ? response.code : undefined;
      const refusal = new Error(error instanceof Error ? error.message : 'authentication failed');
      Object.assign(refusal, { data: { code: code ?? 'AUTH_TOKEN_INVALID' } });
      throw refusal;
    }
  }

  private auditUnmasked(
    socket: LiveSocket,
    principal: Principal | undefined,
    statusCode: number,
    asked: unknown,
  ): void {
    this.audit.recordAccess({
      principal,
      method: LIVE_AUDIT_METHOD,
      route: LIVE_NAMESPACE,
      query: { [LIVE_UNMASKED_PARAM]: asked },
      statusCode,
      ip: this.addressOf(socket.request),
    });
  }

  /** A new client gets the latest stats at once instead of waiting for the next second. */
  handleConnection(socket: LiveSocket): void {
    const latest = this.stats.latest();
    if (latest) {
      socket.emit('stats', latest);
    }
  }

  handleDisconnect(socket: LiveSocket): void {
    this.stream.unsubscribe(socket.id);
    this.tail.unsubscribe(socket.id);
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
    const { room, left } = this.stream.subscribe(socket.id, parsed.data, { masked: !socket.data.unmasked });
    if (left) {
      await socket.leave(left);
    }
    await socket.join(room);
    return { ok: true, filter: parsed.data };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: LiveSocket): Promise<{ ok: true }> {
    const room = this.stream.unsubscribe(socket.id);
    if (room) {
      await socket.leave(room);
    }
    return { ok: true };
  }

  /**
   * Tails a topic from its end (`tail:messages` batches follow), replacing this client's tail of another.
   * The room is joined before the consumer starts, so no batch of it can pass this client by.
   */
  @SubscribeMessage('tail:subscribe')
  async tailSubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<TailSubscribeResult> {
    const parsed = TailRequest.safeParse(body ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => issue.message).join('; ');
      return { ok: false, error: { code: 'INVALID_TOPIC', message: `invalid topic: ${message}` } };
    }
    const { topic } = parsed.data;
    const { room, left, ready } = this.tail.subscribe(socket.id, topic, { masked: !socket.data.unmasked });
    if (left) {
      await socket.leave(left);
    }
    await socket.join(room);
    try {
      return { ok: true, topic, partitions: await ready };
    } catch (error) {
      await socket.leave(room);
      const refusal = error instanceof TailError ? error : new TailError('KAFKA_ERROR', String(error));
      return { ok: false, error: { code: refusal.code, message: refusal.message } };
    }
  }

  @SubscribeMessage('tail:unsubscribe')
  async tailUnsubscribe(@ConnectedSocket() socket: LiveSocket): Promise<{ ok: true }> {
    const room = this.tail.unsubscribe(socket.id);
    if (room) {
      await socket.leave(room);
    }
    return { ok: true };
  }
}
