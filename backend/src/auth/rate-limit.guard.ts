import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { bearerToken } from './bearer-token.js';
import { RateLimiter } from './rate-limiter.js';
import { hashToken } from './token-secret.js';

const SKIP_RATE_LIMIT = 'auth:skip-rate-limit';

/** Not rate limited (health probes). */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** Whom a request counts against: its token when it sends one (many users may share a proxy's IP), else its IP. */
function clientOf(req: Request): string {
  let token: string | undefined;
  try {
    token = bearerToken(req.headers);
  } catch {
    // a malformed header is the auth guard's to answer; it counts against the IP
  }
  return token ? `token:${hashToken(token)}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * RATE_LIMIT_PER_MINUTE per client across all routes, answered with 429 and Retry-After. Registered
 * before the auth guard, so floods of bad tokens are cut before they reach PostgreSQL.
 * (Hand-written rather than @nestjs/throttler 6: that package is CommonJS requiring the ESM-only
 * @nestjs/common 12, which Jest's ESM runtime cannot load on Node 20.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.limiter = new RateLimiter(config.rateLimit.perMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    // HTTP only: the processor's Kafka handlers share the global guards in a hybrid app
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT, targets)) return true;
    const http = context.switchToHttp();
    const waitMs = this.limiter.take(clientOf(http.getRequest<Request>()));
    if (waitMs === 0) return true;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    http.getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new HttpException(
      { code: 'TOO_MANY_REQUESTS', message: `Rate limit reached: retry in ${seconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
