import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '#src/config/index.js';
import { MetricsService } from '#src/metrics/index.js';
import { ProcessorStatus } from './processor-status.js';

/**
 * A processor-only process's small HTTP port (PROCESSOR_HTTP_PORT on HOST): `/health/live` (the event loop
 * answers), `/health/ready` (see `readinessOf`) and `/metrics`. No token: it serves no data and changes nothing,
 * and Compose does not publish it. In the API's process (APP_ROLE=all) the API serves these instead.
 */
@Injectable()
export class ProcessorHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProcessorHttpServer.name);
  private server: Server | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly status: ProcessorStatus,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role !== 'processor') {
      return;
    }
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    const { host } = this.config.http;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.processor.httpPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.logger.log(
      `processor health and metrics on http://${host}:${port} (/health/live, /health/ready, /metrics)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'application/json', { error: 'only GET' }, { allow: 'GET, HEAD' });
      }
      const path = new URL(req.url ?? '/', 'http://processor').pathname;
      switch (path) {
        case '/health/live':
          return send(res, 200, 'application/json', { status: 'ok', uptimeSeconds: process.uptime() });
        case '/health/ready': {
          const readiness = this.status.readiness();
          return send(res, readiness.ready ? 200 : 503, 'application/json', readiness);
        }
        case '/metrics': {
          const { contentType, body } = await this.metrics.scrape();
          return send(res, 200, contentType, body);
        }
        default:
          return send(res, 404, 'application/json', { error: 'not found' });
      }
    } catch (error) {
      this.logger.error(`${req.method} ${req.url} failed: ${(error as Error).message}`);
      send(res, 500, 'application/json', { error: 'internal error' });
    }
  }
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(text);
}
