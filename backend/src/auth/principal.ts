import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@userstream/contracts';

/** Who is calling: a token's name and role, or `local` when authentication is off. */
export interface Principal {
  name: string;
  role: Role;
  /** null for the local principal (AUTH_MODE=none). */
  tokenId: string | null;
}

export const LOCAL_PRINCIPAL: Principal = Object.freeze({ name: 'local', role: 'admin', tokenId: null });

// a symbol rather than a typed property on Express' Request: no global type augmentation, no clash
const PRINCIPAL = Symbol('userstream.principal');
type WithPrincipal = { [PRINCIPAL]?: Principal };

export function setPrincipal(req: object, principal: Principal): void {
  (req as WithPrincipal)[PRINCIPAL] = principal;
}

/** The principal the auth guard attached; undefined on public routes and before the guard ran. */
export function principalOf(req: object): Principal | undefined {
  return (req as WithPrincipal)[PRINCIPAL];
}

/** Handler parameter: the authenticated caller (routes behind the auth guard only). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (!principal) {
    throw new Error('CurrentPrincipal used on a route the auth guard did not authenticate');
  }
  return principal;
});
