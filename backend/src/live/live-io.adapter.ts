import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { originRefusal, type RequestPolicy } from '../common/request-guard.js';

// @nestjs/platform-socket.io brings its own copy of socket.io: take its types from the adapter
type IoServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;
type IoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * socket.io on the HTTP server, allowing the configured origins (CORS_ORIGINS): the dashboard's
 * browser connects to the backend directly, since websockets cannot go through its Next.js proxy.
 * Its requests (websocket upgrades included) bypass Express, so they get the same Host and Origin check here.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly policy: RequestPolicy,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: [...this.policy.corsOrigins] },
      allowRequest: (req, callback) => {
        const refusal = originRefusal(req.headers, this.policy);
        callback(refusal, refusal === null);
      },
    } as IoServerOptions);
  }
}
