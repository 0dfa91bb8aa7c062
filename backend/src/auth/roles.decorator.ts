import { SetMetadata } from '@nestjs/common';
import type { Role } from '@userstream/contracts';

export type { Role } from '@userstream/contracts';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';

/** No token needed (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The least role a route needs, overriding the default policy (GET/HEAD: viewer, other methods: operator).
 * Put it on a handler or a controller class.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
