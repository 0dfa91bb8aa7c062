import { UnauthorizedException } from '@nestjs/common';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The token of an `Authorization: Bearer <token>` header; undefined when there is no such header.
 * REST accepts the header only: a token in the URL ends up in proxy logs and browser history.
 */
export function bearerToken(headers: Headers): string | undefined {
  const header = headers['authorization'];
  if (header === undefined || header === '') {
    return undefined;
  }
  const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new UnauthorizedException({
      code: 'AUTH_TOKEN_INVALID',
      message: 'The Authorization header must be "Bearer <token>"',
    });
  }
  return match[1];
}

/**
 * The token of a socket.io handshake: `auth.token`, the Authorization header, or `?access_token=` (browsers
 * cannot set headers on a WebSocket). Only for socket.io: the REST guard never reads the query.
 */
export function handshakeToken(handshake: {
  headers: Headers;
  query: Record<string, unknown>;
  auth?: Record<string, unknown>;
}): string | undefined {
  const fromAuth = handshake.auth?.['token'];
  if (typeof fromAuth === 'string' && fromAuth) {
    return fromAuth;
  }
  const fromHeader = bearerToken(handshake.headers);
  if (fromHeader) {
    return fromHeader;
  }
  const fromQuery = handshake.query['access_token'];
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
}

/** A URL with its `access_token` query value masked, for logs. */
export function redactAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1[Redacted]');
}

/** pino serializer (after pino's own): the logged request URL without its `access_token`. */
export function redactRequestUrl<T extends { url?: string }>(req: T): T {
  if (req.url) {
    req.url = redactAccessToken(req.url);
  }
  return req;
}
