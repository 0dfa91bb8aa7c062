'use client';

import type { StoredUser } from '@userstream/contracts';
import { useCallback, useEffect, useState } from 'react';
import { searchUsers } from '@/lib/api/users';

interface Results {
  /** The search these results belong to: a newer search makes them stale at once, before any fetch. */
  key: string;
  items: StoredUser[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: Error | undefined;
}

export interface UserSearch {
  items: StoredUser[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: Error | undefined;
  loadMore: () => void;
  /** Runs the same search again (a search with unchanged filters does not change the URL). */
  reload: () => void;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** The first page of a search (`query`: validated parameters, undefined: nothing to search), then more on demand. */
export function useUserSearch(query: string | undefined): UserSearch {
  const [version, setVersion] = useState(0);
  const [results, setResults] = useState<Results>();
  const key = query === undefined ? undefined : `${version}|${query}`;

  useEffect(() => {
    if (key === undefined || query === undefined) {
      return;
    }
    const controller = new AbortController();
    searchUsers(new URLSearchParams(query), { signal: controller.signal }).then(
      (page) => setResults({ key, ...page, loadingMore: false, error: undefined }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResults({ key, items: [], nextCursor: null, loadingMore: false, error: asError(error) });
        }
      },
    );
    return () => controller.abort();
  }, [key, query]);

  const current = results?.key === key ? results : undefined;

  const loadMore = useCallback(() => {
    if (!current?.nextCursor || current.loadingMore || query === undefined) {
      return;
    }
    const next = new URLSearchParams(query);
    next.set('cursor', current.nextCursor);
    const update = (change: (prev: Results) => Results) =>
      setResults((prev) => (prev?.key === current.key ? change(prev) : prev));
    update((prev) => ({ ...prev, loadingMore: true, error: undefined }));
    searchUsers(next).then(
      (page) =>
        update((prev) => {
          // a user re-stored between two pages can come back; keep the first
          const seen = new Set(prev.items.map((user) => user.id));
          const fresh = page.items.filter((user) => !seen.has(user.id));
          return {
            ...prev,
            items: [...prev.items, ...fresh],
            nextCursor: page.nextCursor,
            loadingMore: false,
          };
        }),
      (error: unknown) => update((prev) => ({ ...prev, loadingMore: false, error: asError(error) })),
    );
  }, [current, query]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return {
    items: current?.items ?? [],
    nextCursor: current?.nextCursor ?? null,
    loading: key !== undefined && current === undefined,
    loadingMore: current?.loadingMore ?? false,
    error: current?.error,
    loadMore,
    reload,
  };
}
