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
 * Raises the role when a query parameter is present and not `false`/`0`/empty, e.g.
 * `@RequiresRoleForQuery('unmasked', 'admin')` on message browsing. Checked by the guard before any pipe,
 * so it holds whatever the handler's own parsing accepts as true.
 */
export const RequiresRoleForQuery = (parameter: string, role: Role) =>
  SetMetadata(QUERY_ROLES, { parameter, role } satisfies QueryRole);

export interface QueryRole {
  parameter: string;
  role: Role;
}
