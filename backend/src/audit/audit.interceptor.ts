import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { isReadMethod } from '../auth/role-policy.js';
import { AuditService, statusOf } from './audit.service.js';

/**
 * Records every HTTP mutation that reached its handler, successful or not (validation failures included:
 * pipes run inside). Requests the auth guard refused are recorded by the guard, which runs before this.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // the processor's Kafka handlers go through global interceptors too in a hybrid app
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (isReadMethod(req.method)) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const startedAt = Date.now();
    let resultId: string | undefined;
    return next.handle().pipe(
      tap({
        next: (value) => {
          const id = (value as { id?: unknown } | null)?.id;
          if (typeof id === 'string') resultId = id;
        },
        // the status is set before the handler runs (201, or @HttpCode)
        complete: () => this.audit.record(req, res.statusCode, startedAt, resultId),
        error: (error: unknown) => this.audit.record(req, statusOf(error), startedAt),
      }),
    );
  }
}
