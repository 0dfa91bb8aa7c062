import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { RateLimiter } from '#src/auth/index.js';
import { clientAddressOf, originRefusal, type RequestPolicy } from '#src/common/index.js';
import type { TrustProxy } from '#src/config/index.js';

// @nestjs/platform-socket.io brings its own copy of socket.io: take its types from the adapter
type IoServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;
type IoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * socket.io on the HTTP server, allowing the configured origins (CORS_ORIGINS): the dashboard's
 * browser connects to the backend directly, since websockets cannot go through its Next.js proxy.
 * Its requests (websocket upgrades included) bypass Express, so they get the same Host and Origin check here,
 * and new sessions (handshakes) are limited per client address.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly handshakes: RateLimiter;
  private readonly addressOf: ReturnType<typeof clientAddressOf>;

  constructor(
    app: INestApplicationContext,
    private readonly policy: RequestPolicy,
    limits: { trustProxy: TrustProxy; handshakesPerMinute: number },
  ) {
    super(app);
    this.handshakes = new RateLimiter(limits.handshakesPerMinute);
    this.addressOf = clientAddressOf(limits.trustProxy);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: [...this.policy.corsOrigins] },
      allowRequest: (req, callback) => {
        const refusal = originRefusal(req.headers, this.policy) ?? this.handshakeRefusal(req);
        callback(refusal, refusal === null);
      },
    } as IoServerOptions);
  }

  /** A request without a session id opens a session: those are counted, the polls of a session are not. */
  private handshakeRefusal(req: IncomingMessage): string | null {
    if (new URL(req.url ?? '/', 'http://live').searchParams.has('sid')) {
      return null;
    }
    const waitMs = this.handshakes.take(this.addressOf(req));
    return waitMs === 0
      ? null
      : `Too many live connections from this address: retry in ${Math.ceil(waitMs / 1000)} s`;
  }
}
