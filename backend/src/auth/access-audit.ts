import type { Request } from 'express';

/**
 * What the auth guard needs of the audit log, which the audit feature provides (`AuditModule`): the guard
 * records the requests it refuses (the audit interceptor runs after guards, so it never sees them) and holds
 * back audited work while the log cannot keep up.
 */
export abstract class AccessAudit {
  /** Queues the entry of a request refused with `error`; never waits and never throws. */
  abstract recordRefusal(req: Request, error: unknown, startedAt: number): void;

  /** Whether audited work may start (false while the entries not yet written fill the log's buffer). */
  abstract get accepting(): boolean;
}
