// What the auth feature offers the others; the rest of the folder is its own.
export * from './access-audit.js';
export * from './api-token.entity.js';
export * from './auth.module.js';
export * from './auth.service.js';
export * from './bearer-token.js';
export * from './principal.js';
export * from './rate-limit.guard.js';
export * from './rate-limiter.js';
export * from './role-policy.js';
export * from './roles.decorator.js';
