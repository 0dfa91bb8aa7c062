import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';

// @nestjs/platform-socket.io brings its own copy of socket.io: take its types from the adapter
type IoServerOptions = NonNullable<Parameters<IoAdapter['createIOServer']>[1]>;
type IoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * socket.io on the HTTP server, allowing the configured origins (CORS_ORIGINS): the dashboard's
 * browser connects to the backend directly, since websockets cannot go through its Next.js proxy.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly corsOrigins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    return super.createIOServer(port, { ...options, cors: { origin: this.corsOrigins } } as IoServerOptions);
  }
}
