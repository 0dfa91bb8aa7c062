import { Init1764400000000 } from './1764400000000-init.js';
import { ApiTokens1764600000000 } from './1764600000000-api-tokens.js';
import { AuditLog1764600001000 } from './1764600001000-audit-log.js';

/** Every PostgreSQL migration, in order. Listed explicitly so `src` (tests) and `dist` behave alike. */
export const migrations = [Init1764400000000, ApiTokens1764600000000, AuditLog1764600001000];
