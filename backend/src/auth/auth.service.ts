import {
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type {
  ApiToken,
  ApiTokenList,
  AuthErrorCode,
  AuthMode,
  CreatedToken,
  CreateTokenRequest,
  Role,
} from '@userstream/contracts';
import { TooManyRequestsException } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import type { ApiTokenEntity } from './api-token.entity.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import type { Principal } from './principal.js';
import { RateLimiter } from './rate-limiter.js';
import { generateToken, hashToken } from './token-secret.js';

/** How long a lookup (found or not) is reused: a revocation elsewhere takes effect within this time. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;
/** A token seen valid this recently is "known": its lookups are not charged to the caller's address. */
const KNOWN_FOR_MS = 15 * 60_000;
/**
 * Lookups of tokens not known valid running at once, across all callers: with forged client addresses (a proxy
 * that passes X-Forwarded-For on) a flood still holds at most this many of the PostgreSQL pool's connections.
 */
const MAX_UNKNOWN_LOOKUPS = 3;
/** last_used_at is written at most this often per token. */
const TOUCH_EVERY_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;
export const BOOTSTRAP_ADMIN_NAME = 'bootstrap admin';

export function toApiToken(entity: ApiTokenEntity): ApiToken {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role as Role,
    createdAt: entity.createdAt.toISOString(),
    expiresAt: entity.expiresAt?.toISOString() ?? null,
    revokedAt: entity.revokedAt?.toISOString() ?? null,
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
  };
}

const unauthorized = (code: AuthErrorCode, message: string) => new UnauthorizedException({ code, message });

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  /** By token hash; null caches "no such token". */
  private readonly cache = new Map<string, { token: ApiTokenEntity | null; until: number }>();
  /** Lookups in flight by token hash: concurrent requests with one token share a query. */
  private readonly lookups = new Map<string, Promise<ApiTokenEntity | null>>();
  /** Hashes of tokens seen valid, with when they stop counting as known (least recently seen first). */
  private readonly known = new Map<string, number>();
  private unknownLookups = 0;
  /** Per client address: every token not known valid counts, before any lookup, found or not. */
  private readonly unverified: RateLimiter;
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: ApiTokensRepository,
  ) {
    this.unverified = new RateLimiter(config.rateLimit.authPerMinute);
  }

  get mode(): AuthMode {
    return this.config.auth.mode;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { mode, adminToken } = this.config.auth;
    if (mode === 'none') {
      this.logger.warn(
        'AUTH_MODE=none: authentication is OFF and every request is treated as an admin. ' +
          'Use this only on a trusted machine; set AUTH_MODE=token anywhere else.',
      );
    }
    if (adminToken) {
      const admin = await this.tokens.upsertAdmin(BOOTSTRAP_ADMIN_NAME, hashToken(adminToken));
      if (admin.revokedAt) {
        this.logger.warn(
          'AUTH_ADMIN_TOKEN was revoked through the API and stays revoked: configure a new one',
        );
      } else {
        this.logger.log(`admin token from AUTH_ADMIN_TOKEN registered as "${BOOTSTRAP_ADMIN_NAME}"`);
      }
    }
    if (mode === 'token' && (await this.tokens.countActiveAdmins(new Date())) === 0) {
      this.logger.warn(
        'AUTH_MODE=token but no admin token exists: set AUTH_ADMIN_TOKEN to be able to create tokens',
      );
    }
  }

  /**
   * The principal a bearer token stands for; 401 with a precise code otherwise. A token not seen valid lately
   * is charged to `client` (its address) before it is looked up, so a flood of made-up tokens gets 429s, not
   * PostgreSQL queries, and cannot starve the pool.
   */
  async authenticate(token: string | undefined, client: string, now = new Date()): Promise<Principal> {
    if (!token) {
      throw unauthorized('AUTH_TOKEN_MISSING', 'Send an API token as "Authorization: Bearer <token>"');
    }
    const hash = hashToken(token);
    const nowMs = now.getTime();
    let entity: ApiTokenEntity | null;
    if (this.isKnown(hash, nowMs) || this.lookups.has(hash)) {
      // known valid, or joining a lookup already charged: no further query is made for it
      entity = await this.lookup(hash, nowMs);
    } else {
      const waitMs = this.unverified.take(client);
      if (waitMs > 0) {
        throw new TooManyRequestsException('AUTH_TOO_MANY_FAILURES', 'Too many unknown API tokens', waitMs);
      }
      entity = await this.lookupUnknown(hash, nowMs);
    }
    if (!entity) {
      throw unauthorized('AUTH_TOKEN_INVALID', 'Unknown API token');
    }
    if (entity.revokedAt) {
      throw unauthorized('AUTH_TOKEN_REVOKED', 'This API token was revoked');
    }
    if (entity.expiresAt && entity.expiresAt <= now) {
      throw unauthorized('AUTH_TOKEN_EXPIRED', 'This API token has expired');
    }
    this.known.delete(hash);
    this.known.set(hash, nowMs + KNOWN_FOR_MS);
    if (this.known.size > CACHE_MAX_ENTRIES) {
      this.known.delete(this.known.keys().next().value as string);
    }
    this.touch(entity, now);
    return { name: entity.name, role: entity.role as Role, tokenId: entity.id };
  }

  /** Whether this bearer token was valid lately (the rate limiter then counts requests per token). */
  isKnownToken(token: string, now = Date.now()): boolean {
    return this.isKnown(hashToken(token), now);
  }

  async create(request: CreateTokenRequest, now = new Date()): Promise<CreatedToken> {
    const token = generateToken();
    const entity = await this.tokens.create({
      name: request.name,
      role: request.role,
      tokenHash: hashToken(token),
      expiresAt:
        request.expiresInDays === undefined ? null : new Date(now.getTime() + request.expiresInDays * DAY_MS),
    });
    return { ...toApiToken(entity), token };
  }

  async list(): Promise<ApiTokenList> {
    return { items: (await this.tokens.findAll()).map(toApiToken) };
  }

  async revoke(id: string): Promise<ApiToken> {
    const entity = await this.tokens.revoke(id, new Date());
    if (!entity) {
      throw new NotFoundException({ code: 'TOKEN_NOT_FOUND', message: `No API token ${id}` });
    }
    // immediate in this process; other processes notice within CACHE_TTL_MS
    for (const [hash, cached] of this.cache) {
      if (cached.token?.id === id) {
        this.cache.delete(hash);
      }
    }
    return toApiToken(entity);
  }

  private isKnown(hash: string, nowMs: number): boolean {
    return (this.known.get(hash) ?? 0) > nowMs;
  }

  /** A lookup for a token not known valid: refused at once while MAX_UNKNOWN_LOOKUPS are running. */
  private async lookupUnknown(hash: string, nowMs: number): Promise<ApiTokenEntity | null> {
    const cached = this.cache.get(hash);
    if (cached && cached.until > nowMs) {
      return cached.token;
    }
    if (this.unknownLookups >= MAX_UNKNOWN_LOOKUPS && !this.lookups.has(hash)) {
      throw new TooManyRequestsException('AUTH_BUSY', 'Too many API tokens being checked at once', 1_000);
    }
    this.unknownLookups++;
    try {
      return await this.lookup(hash, nowMs);
    } finally {
      this.unknownLookups--;
    }
  }

  private lookup(hash: string, nowMs: number): Promise<ApiTokenEntity | null> {
    const cached = this.cache.get(hash);
    if (cached && cached.until > nowMs) {
      return Promise.resolve(cached.token);
    }
    let pending = this.lookups.get(hash);
    if (!pending) {
      pending = this.query(hash, nowMs).finally(() => this.lookups.delete(hash));
      this.lookups.set(hash, pending);
    }
    return pending;
  }

  private async query(hash: string, nowMs: number): Promise<ApiTokenEntity | null> {
    let token: ApiTokenEntity | null;
    try {
      token = await this.tokens.findByHash(hash);
    } catch (error) {
      this.logger.error(`token lookup failed: ${(error as Error).message}`);
      throw new ServiceUnavailableException({
        code: 'AUTH_UNAVAILABLE',
        message: 'Cannot check the API token right now (PostgreSQL unavailable)',
      });
    }
    this.cache.delete(hash);
    if (this.cache.size >= CACHE_MAX_ENTRIES) {
      // a Map iterates in insertion order: the first key is the oldest entry
      const oldest = this.cache.keys().next();
      if (!oldest.done) {
        this.cache.delete(oldest.value);
      }
    }
    this.cache.set(hash, { token, until: nowMs + CACHE_TTL_MS });
    return token;
  }

  /** Fire and forget: a slow or failed write never holds up the request. */
  private touch(entity: ApiTokenEntity, now: Date): void {
    const last = Math.max(this.touchedAt.get(entity.id) ?? 0, entity.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - last < TOUCH_EVERY_MS) {
      return;
    }
    this.touchedAt.set(entity.id, now.getTime());
    this.tokens.touch(entity.id, now).catch((error: Error) => {
      this.logger.warn(`could not record the last use of token ${entity.id}: ${error.message}`);
    });
  }
}
