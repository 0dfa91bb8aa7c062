import { Init1764400000000 } from './1764400000000-init.js';
import { ApiTokens1764600000000 } from './1764600000000-api-tokens.js';
import { AuditLog1764600001000 } from './1764600001000-audit-log.js';
import { SeveralBackends1764700000000 } from './1764700000000-several-backends.js';
import { SchedulesAndRunEvents1764800000000 } from './1764800000000-schedules-and-run-events.js';
import { History1764900000000 } from './1764900000000-history.js';
import { DeadLetters1765000000000 } from './1765000000000-dead-letters.js';

/** Every PostgreSQL migration, in order. Listed explicitly so `src` (tests) and `dist` behave alike. */
export const migrations = [
  Init1764400000000,
  ApiTokens1764600000000,
  AuditLog1764600001000,
  SeveralBackends1764700000000,
  SchedulesAndRunEvents1764800000000,
  History1764900000000,
  DeadLetters1765000000000,
];
