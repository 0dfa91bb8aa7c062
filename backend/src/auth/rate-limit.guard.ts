import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { clientAddress, TooManyRequestsException } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { AuthService } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import { RateLimiter } from './rate-limiter.js';
import { hashToken } from './token-secret.js';

const SKIP_RATE_LIMIT = 'auth:skip-rate-limit';
const EXTRA_LIMIT = 'auth:extra-limit';

/** Not rate limited (health probes). */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** Limits that some routes add to the general one, each with its own budget per client. */
type ExtraLimit = 'browse';

/** Also counted against a limit of its own (message browsing starts a Kafka consumer each time). */
export const ExtraRateLimit = (limit: ExtraLimit) => SetMetadata(EXTRA_LIMIT, limit);

/**
 * RATE_LIMIT_PER_MINUTE per client across all routes, answered with 429 and Retry-After. A client is its token
 * once that token was seen valid (many users may share a proxy's address), else its address: a made-up token
 * buys no budget of its own. Registered before the auth guard, which also counts unknown tokens per address
 * before looking them up. (Hand-written rather than @nestjs/throttler 6: that package is CommonJS requiring
 * the ESM-only @nestjs/common 12, which Jest's ESM runtime cannot load on Node 20.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;
  private readonly extra: Record<ExtraLimit, RateLimiter>;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {
    this.limiter = new RateLimiter(config.rateLimit.perMinute);
    this.extra = { browse: new RateLimiter(config.rateLimit.browsePerMinute) };
  }

  canActivate(context: ExecutionContext): boolean {
    // HTTP only: the processor's Kafka handlers share the global guards in a hybrid app
    if (context.getType() !== 'http') {
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT, targets)) {
      return true;
    }
    const client = this.clientOf(context.switchToHttp().getRequest<Request>());
    const waitMs = this.limiter.take(client);
    if (waitMs > 0) {
      throw new TooManyRequestsException('TOO_MANY_REQUESTS', 'Rate limit reached', waitMs);
    }
    const extra = this.reflector.getAllAndOverride<ExtraLimit | undefined>(EXTRA_LIMIT, targets);
    const extraWaitMs = extra ? this.extra[extra].take(client) : 0;
    if (extraWaitMs > 0) {
      throw new TooManyRequestsException('TOO_MANY_REQUESTS', `Rate limit of ${extra} reached`, extraWaitMs);
    }
    return true;
  }

  private clientOf(req: Request): string {
    let token: string | undefined;
    try {
      token = bearerToken(req.headers);
    } catch {
      // a malformed header is the auth guard's to answer; it counts against the address
    }
    return token && this.auth.isKnownToken(token) ? `token:${hashToken(token)}` : `ip:${clientAddress(req)}`;
  }
}
