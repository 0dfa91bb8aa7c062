import { ApiError, HealthResponse } from '@userstream/contracts';
import type { z } from 'zod';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(body?.message ?? `Request failed with status ${status}`);
  }
}

/** Fetches a backend route and validates the answer with its contract schema. */
export async function apiGet<T extends z.ZodType>(
  path: string,
  schema: T,
  init?: RequestInit & { acceptStatuses?: number[] },
): Promise<z.infer<T>> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok && !init?.acceptStatuses?.includes(res.status)) {
    const parsed = ApiError.safeParse(json);
    throw new ApiRequestError(res.status, parsed.success ? parsed.data : undefined);
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
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ApiError.safeParse(json);
    throw new ApiRequestError(res.status, parsed.success ? parsed.data : undefined);
  }
  return schema.parse(json);
}
