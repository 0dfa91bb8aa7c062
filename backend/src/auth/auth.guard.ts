import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@userstream/contracts';
import type { Request } from 'express';
import { AuditService, statusOf } from '../audit/audit.service.js';
import { AuthService } from './auth.service.js';
import { bearerToken } from './bearer-token.js';
import { LOCAL_PRINCIPAL, type Principal, setPrincipal } from './principal.js';
import { higherRole, isReadMethod, requiredRole, roleIncludes } from './role-policy.js';
import { IS_PUBLIC, QUERY_ROLES, type QueryRole, REQUIRED_ROLE } from './roles.decorator.js';

type Targets = ReturnType<typeof targetsOf>;
/** Where route metadata is looked up: the handler first, then its controller. */
const targetsOf = (context: ExecutionContext) => [context.getHandler(), context.getClass()];

/** A query flag counts as set unless absent or explicitly false, so no spelling of "true" slips through. */
const isSet = (value: unknown) =>
  value !== undefined && !(typeof value === 'string' && ['', 'false', '0'].includes(value));

/**
 * Every HTTP route needs a token unless `@Public()`: GET/HEAD a viewer, other methods an operator, or the
 * role the route declares with `@RequiresRole` / `@RequiresRoleForQuery` if higher. 401 names what is wrong
 * with the token, 403 the role missing. Refused mutations are audited here (the audit interceptor runs after
 * guards, so it never sees them).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // the processor's Kafka handlers share the global guards in a hybrid app; socket.io checks its handshake
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targetsOf(context))) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const startedAt = Date.now();
    try {
      const needed = this.neededRole(req, targetsOf(context));
      const principal: Principal =
        this.auth.mode === 'none' ? LOCAL_PRINCIPAL : await this.auth.authenticate(bearerToken(req.headers));
      setPrincipal(req, principal);
      if (!roleIncludes(principal.role, needed)) {
        throw new ForbiddenException({
          code: 'AUTH_FORBIDDEN',
          message: `This needs the ${needed} role; the token "${principal.name}" is ${principal.role}`,
        });
      }
      return true;
    } catch (error) {
      if (!isReadMethod(req.method)) this.audit.record(req, statusOf(error), startedAt);
      throw error;
    }
  }

  private neededRole(req: Request, targets: Targets): Role {
    const declared = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    let needed = requiredRole(req.method, declared);
    const byQuery = this.reflector.getAllAndOverride<QueryRole | undefined>(QUERY_ROLES, targets);
    if (byQuery && isSet((req.query as Record<string, unknown>)[byQuery.parameter])) {
      needed = higherRole(needed, byQuery.role);
    }
    return needed;
  }
}
