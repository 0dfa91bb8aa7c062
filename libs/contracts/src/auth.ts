import { z } from 'zod';
import { PageQuery } from './ingestion.js';

/** Roles of an API token; each includes the ones before it (admin > operator > viewer). */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** `none`: no authentication, every caller is an admin (local use only); `token`: bearer tokens. */
export const AuthMode = z.enum(['none', 'token']);
export type AuthMode = z.infer<typeof AuthMode>;

/** Codes of the 401/403 answers, so clients can tell a missing token from an expired one. */
export const AuthErrorCode = z.enum([
  'AUTH_TOKEN_MISSING',
  'AUTH_TOKEN_INVALID',
  'AUTH_TOKEN_EXPIRED',
  'AUTH_TOKEN_REVOKED',
  'AUTH_FORBIDDEN',
]);
export type AuthErrorCode = z.infer<typeof AuthErrorCode>;

export const CreateTokenRequest = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: Role,
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

/** A token as listed: never its secret, which is only known at creation. */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The answer to token creation: the only time the secret is shown. */
export const CreatedToken = ApiToken.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof CreatedToken>;

export const ApiTokenList = z.object({ items: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const Me = z.object({ name: z.string(), role: Role, mode: AuthMode });
export type Me = z.infer<typeof Me>;

/** The method of an audit entry for a live stream (socket.io) connection that asked for unmasked users. */
export const LIVE_AUDIT_METHOD = 'WS';

/**
 * Every mutation, and every read of personal data unmasked (`GET` with `unmasked=true` or an admin-only personal
 * filter, and live connections with `unmasked`, method `WS`), successful or not. The target holds the route's
 * parameters and query, personal values redacted; never what was read.
 */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  role: Role.nullable(),
  method: z.string(),
  route: z.string(),
  target: z.record(z.string(), z.unknown()).nullable(),
  statusCode: z.number(),
  success: z.boolean(),
  durationMs: z.number(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditListQuery = PageQuery.extend({
  actor: z.string().min(1).max(120).optional(),
  method: z
    .string()
    .toUpperCase()
    .pipe(z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET', LIVE_AUDIT_METHOD]))
    .optional(),
}).strict();
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditList = z.object({
  items: z.array(AuditEntry),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type AuditList = z.infer<typeof AuditList>;
