import { ApiError, HealthResponse } from '@userstream/contracts';
import type { z } from 'zod';
import { getAuthState, reportUnauthorized, withAuthorization } from '@/lib/auth/auth-token';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(body?.message ?? `Request failed with status ${status}`);
  }
}

/** An error answer as an exception; a 401 also tells the sign-in prompt why. */
function failure(status: number, json: unknown): ApiRequestError {
  const parsed = ApiError.safeParse(json);
  const body = parsed.success ? parsed.data : undefined;
  if (status === 401) {
    reportUnauthorized(body?.code);
  }
  return new ApiRequestError(status, body);
}

/** Fetches a backend route and validates the answer with its contract schema. */
export async function apiGet<T extends z.ZodType>(
  path: string,
  schema: T,
  init?: RequestInit & { acceptStatuses?: number[] },
): Promise<z.infer<T>> {
  const res = await fetch(path, {
    ...init,
    headers: withAuthorization(
      { accept: 'application/json', ...Object.fromEntries(new Headers(init?.headers)) },
      getAuthState().token,
    ),
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok && !init?.acceptStatuses?.includes(res.status)) {
    throw failure(res.status, json);
  }
  return schema.parse(json);
}

/** 503 still carries a full health report: it says which service is down. */
export const fetchHealth = () =>
  apiGet('/api/health', HealthResponse, { acceptStatuses: [503], cache: 'no-store' });

/** Sends a JSON body (or none) and validates the answer with its contract schema (204: no body). */
export async function apiSend<T extends z.ZodType>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  schema: T,
): Promise<z.infer<T>> {
  const res = await fetch(path, {
    method,
    cache: 'no-store',
    headers: withAuthorization(
      { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      getAuthState().token,
    ),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    throw failure(res.status, json);
  }
  return schema.parse(json);
}
