import { ROLES, type Role } from '@userstream/contracts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a method only reads (needs viewer) rather than changes something (needs operator). */
export const isReadMethod = (method: string): boolean => READ_METHODS.has(method.toUpperCase());

/** Roles are ordered: admin includes operator, which includes viewer. */
export const roleIncludes = (held: Role, needed: Role): boolean =>
  ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** The stronger of two roles. */
export const higherRole = (a: Role, b: Role): Role => (roleIncludes(a, b) ? a : b);

/** The default policy (reads: viewer, anything else: operator), raised by a route's declared role. */
export function requiredRole(method: string, declared?: Role): Role {
  const byMethod: Role = isReadMethod(method) ? 'viewer' : 'operator';
  return declared ? higherRole(byMethod, declared) : byMethod;
}

/** A query flag counts as set unless absent or explicitly false, so no spelling of "true" slips through. */
export const isQueryFlagSet = (value: unknown): boolean =>
  value !== undefined && !(typeof value === 'string' && ['', 'false', '0'].includes(value));

/** Which of the parameters that raise a route's role (`@RequiresRoleForQuery`) this query sets. */
export const raisingParameters = (query: unknown, parameters: readonly string[] | undefined): string[] =>
  typeof query === 'object' && query !== null
    ? (parameters ?? []).filter((name) => isQueryFlagSet((query as Record<string, unknown>)[name]))
    : [];
