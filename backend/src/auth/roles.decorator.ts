import { SetMetadata } from '@nestjs/common';
import type { Role } from '@userstream/contracts';

export type { Role } from '@userstream/contracts';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';
export const QUERY_ROLES = 'auth:query-roles';

/** No token needed (health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The role a route needs, on a handler or a controller class (the handler's wins). It only raises the
 * default policy (GET/HEAD: viewer, other methods: operator): `@RequiresRole('viewer')` on a POST still
 * needs operator.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/**
 * Raises the role when one of these query parameters is present and not `false`/`0`/empty, e.g.
 * `@RequiresRoleForQuery('unmasked', 'admin')` on message browsing. Checked by the guard before any pipe,
 * so it holds whatever the handler's own parsing accepts as true. A GET raised this way reads what its role
 * could not: it is audited like a mutation.
 */
export const RequiresRoleForQuery = (parameters: string | readonly string[], role: Role) =>
  SetMetadata(QUERY_ROLES, {
    parameters: typeof parameters === 'string' ? [parameters] : [...parameters],
    role,
  } satisfies QueryRole);

export interface QueryRole {
  parameters: readonly string[];
  role: Role;
}
