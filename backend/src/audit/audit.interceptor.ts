import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { isReadMethod, raisingParameters, QUERY_ROLES, type QueryRole } from '#src/auth/index.js';
import { AuditService, statusOf } from './audit.service.js';

/**
 * Records every HTTP mutation that reached its handler, successful or not (validation failures included:
 * pipes run inside), and every privileged read: a GET whose role a query parameter raised
 * (`@RequiresRoleForQuery`, e.g. `unmasked=true`), since it reads what the route's own role may not see.
 * Requests the auth guard refused are recorded by the guard, which runs before this.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // the processor's Kafka handlers go through global interceptors too in a hybrid app
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const req = context.switchToHttp().getRequest<Request>();
    const read = isReadMethod(req.method);
    if (read && !this.isPrivilegedRead(context, req)) {
      return next.handle();
    }
    const res = context.switchToHttp().getResponse<Response>();
    const startedAt = Date.now();
    let resultId: string | undefined;
    return next.handle().pipe(
      tap({
        // what a mutation created; a read's answer stays out of the log
        next: (value) => {
          if (read) {
            return;
          }
          const id = (value as { id?: unknown } | null)?.id;
          if (typeof id === 'string') {
            resultId = id;
          }
        },
        // the status is set before the handler runs (201, or @HttpCode)
        complete: () => this.audit.record(req, res.statusCode, startedAt, resultId),
        error: (error: unknown) => this.audit.record(req, statusOf(error), startedAt),
      }),
    );
  }

  private isPrivilegedRead(context: ExecutionContext, req: Request): boolean {
    const byQuery = this.reflector.getAllAndOverride<QueryRole | undefined>(QUERY_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    return raisingParameters(req.query, byQuery?.parameters).length > 0;
  }
}
