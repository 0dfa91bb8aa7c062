import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '#src/config/index.js';

/**
 * The address a request came from, believing X-Forwarded-For only as far as TRUST_PROXY says: the same rule
 * Express applies to `req.ip` (set from the same value), for requests that bypass Express (socket.io).
 */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted =
    trust === false
      ? () => false
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyaddr.compile(trust);
  return (req) => proxyaddr(req, trusted);
}

/** An Express request's client address (`req.ip`, which follows TRUST_PROXY). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
