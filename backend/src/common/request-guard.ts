import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ApiError } from '@userstream/contracts';
import { isLoopbackHost } from '#src/config/index.js';

/** Who may talk to the API from where: host names it answers to, web origins allowed to call it. */
export interface RequestPolicy {
  /** Host names besides loopback ones (ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** Web pages allowed to call the API from another origin (CORS_ORIGINS). */
  corsOrigins: readonly string[];
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The name in a Host header (`name:port`, `[v6]:port`), lower-case, without the port. */
export function hostName(host: string): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name.toLowerCase();
}

/**
 * Why a request must be refused, or null. Its Host must be a loopback name or an allowed one: a page on
 * another site whose name resolves to this machine (DNS rebinding) sends its own name. A browser's Origin,
 * when sent, must be one of CORS_ORIGINS or the API's own (its docs page); non-browser clients send none.
 */
export function originRefusal(headers: IncomingHttpHeaders, policy: RequestPolicy): string | null {
  const host = first(headers.host);
  if (!host) {
    return 'a Host header is required';
  }
  const name = hostName(host);
  if (!isLoopbackHost(name) && !policy.allowedHosts.some((allowed) => allowed.toLowerCase() === name)) {
    return `this API does not answer to host ${JSON.stringify(name)}: add it to ALLOWED_HOSTS`;
  }
  const origin = first(headers.origin);
  if (origin === undefined || policy.corsOrigins.includes(origin)) {
    return null;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `origin ${JSON.stringify(origin)} is not allowed`;
  }
  return originHost === host.toLowerCase() ? null : `origin ${origin} is not allowed: add it to CORS_ORIGINS`;
}

/** Bodies are JSON only, so no web page can post a form into the API. */
export function bodyRefusal(req: IncomingMessage): string | null {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) {
    return null;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json'
    ? null
    : `only application/json bodies are accepted, not ${type || 'untyped ones'}`;
}

function refuse(res: Response, statusCode: number, code: string, message: string): void {
  const body: ApiError = { statusCode, code, message };
  res.status(statusCode).json(body);
}

/** Express middleware: refuses foreign hosts and origins (403) and bodies that are not JSON (415). */
export function requestGuard(policy: RequestPolicy) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = originRefusal(req.headers, policy);
    if (origin) {
      return refuse(res, 403, 'FORBIDDEN', origin);
    }
    const body = bodyRefusal(req);
    if (body) {
      return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', body);
    }
    next();
  };
}
