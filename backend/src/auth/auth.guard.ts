import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@userstream/contracts';
import type { Request } from 'express';
import { clientAddress } from '#src/common/index.js';
import { AccessAudit } from './access-audit.js';
import { AuthService } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import { LOCAL_PRINCIPAL, type Principal, setPrincipal } from './principal.js';
import { higherRole, isReadMethod, raisingParameters, requiredRole, roleIncludes } from './role-policy.js';
import { IS_PUBLIC, QUERY_ROLES, type QueryRole, REQUIRED_ROLE } from './roles.decorator.js';

type Targets = ReturnType<typeof targetsOf>;
/** Where route metadata is looked up: the handler first, then its controller. */
const targetsOf = (context: ExecutionContext) => [context.getHandler(), context.getClass()];

/**
 * Every HTTP route needs a token unless `@Public()`: GET/HEAD a viewer, other methods an operator, or the
 * role the route declares with `@RequiresRole` / `@RequiresRoleForQuery` if higher. 401 names what is wrong
 * with the token, 403 the role missing (and, when a query parameter raised it, which). Refused mutations and
 * refused privileged reads are audited here, through the `AccessAudit` the audit feature provides (the audit
 * interceptor runs after guards, so it never sees them).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AccessAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // the processor's Kafka handlers share the global guards in a hybrid app; socket.io checks its handshake
    if (context.getType() !== 'http') {
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targetsOf(context))) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const startedAt = Date.now();
    const { needed, raisedBy } = this.neededRole(req, targetsOf(context));
    try {
      const principal: Principal =
        this.auth.mode === 'none'
          ? LOCAL_PRINCIPAL
          : await this.auth.authenticate(bearerToken(req.headers), clientAddress(req));
      setPrincipal(req, principal);
      if (!roleIncludes(principal.role, needed)) {
        const parameters = raisedBy.map((name) => `?${name}=`).join(', ');
        throw new ForbiddenException({
          code: 'AUTH_FORBIDDEN',
          message: `This needs the ${needed} role${parameters ? ` (for ${parameters})` : ''}; the token "${principal.name}" is ${principal.role}`,
          ...(raisedBy.length
            ? { details: raisedBy.map((field) => ({ field, message: `needs the ${needed} role` })) }
            : {}),
        });
      }
    } catch (error) {
      if (!isReadMethod(req.method) || raisedBy.length > 0) {
        this.audit.recordRefusal(req, error, startedAt);
      }
      throw error;
    }
    const audited = !isReadMethod(req.method) || raisedBy.length > 0;
    if (audited && !this.audit.accepting) {
      // backpressure: nothing is done that the audit log could not record (the refusal itself changed nothing)
      this.logger.warn(`refused ${req.method} ${req.path}: the audit log is not keeping up`);
      throw new ServiceUnavailableException({
        code: 'AUDIT_BACKLOG',
        message: 'The audit log cannot keep up (PostgreSQL slow or down): retry in a few seconds',
      });
    }
    return true;
  }

  /** The role this request needs, and the query parameters that raised it above the route's own. */
  private neededRole(req: Request, targets: Targets): { needed: Role; raisedBy: string[] } {
    const declared = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    const needed = requiredRole(req.method, declared);
    const byQuery = this.reflector.getAllAndOverride<QueryRole | undefined>(QUERY_ROLES, targets);
    const raisedBy = byQuery ? raisingParameters(req.query, byQuery.parameters) : [];
    if (!byQuery || raisedBy.length === 0 || roleIncludes(needed, byQuery.role)) {
      return { needed, raisedBy: [] };
    }
    return { needed: higherRole(needed, byQuery.role), raisedBy };
  }
}
