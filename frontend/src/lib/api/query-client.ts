import { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from './client';

/** Tries after the first failure: a dropped connection or a 5xx may pass, the next poll comes anyway. */
const MAX_RETRIES = 2;

/**
 * Whether a failed read is worth trying again: not a 4xx (the same request gets the same answer) and not
 * an answer that broke its contract (a ZodError), only a 5xx or a request that got no answer at all.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) {
    return false;
  }
  if (error instanceof ApiRequestError) {
    return error.status >= 500;
  }
  return error instanceof TypeError;
}

/**
 * The dashboard's query client. Polled queries (`refetchInterval`) stop while the tab is hidden, TanStack's
 * default kept on purpose, and read again as soon as it is shown (`refetchOnWindowFocus`). Data counts as
 * stale at once, so a page opened again shows what it had while it reads the current answer.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 0,
        refetchOnWindowFocus: true,
        refetchIntervalInBackground: false,
        retry: shouldRetry,
      },
      mutations: { retry: false },
    },
  });
}
