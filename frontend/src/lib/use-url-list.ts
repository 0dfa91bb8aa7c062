'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';

const SEARCH_DELAY_MS = 300;

/** A change to a list's URL state: a page, a search, flags or filter values (each resets to the first page). */
export interface ListChange {
  page?: number;
  search?: string;
  flags?: Record<string, boolean>;
  /** Filters by name; an empty or undefined value removes the filter. */
  values?: Record<string, string | undefined>;
}

/**
 * Page, search and flags of a server-side list, kept in the URL so a list can be shared and survives reloads.
 * What is typed into the search box settles for a moment before the URL (and so the query) follows.
 */
export function useUrlList() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const search = params.get('search') ?? '';
  const [typed, setTyped] = useState(search);

  const go = useCallback(
    (next: ListChange) => {
      const query = new URLSearchParams(params);
      if (next.page !== undefined) {
        query.set('page', String(next.page));
      }
      if (next.search !== undefined) {
        if (next.search) {
          query.set('search', next.search);
        } else {
          query.delete('search');
        }
        query.set('page', '1');
      }
      for (const [name, on] of Object.entries(next.flags ?? {})) {
        if (on) {
          query.set(name, 'true');
        } else {
          query.delete(name);
        }
        query.set('page', '1');
      }
      for (const [name, value] of Object.entries(next.values ?? {})) {
        if (value) {
          query.set(name, value);
        } else {
          query.delete(name);
        }
        query.set('page', '1');
      }
      router.replace(`${pathname}?${query}`, { scroll: false });
    },
    [params, pathname, router],
  );

  useEffect(() => {
    const trimmed = typed.trim();
    if (trimmed === search) {
      return;
    }
    const timer = setTimeout(() => go({ search: trimmed }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, search, go]);

  const flag = (name: string) => params.get(name) === 'true';
  const value = (name: string) => params.get(name) ?? '';
  return { page, search, typed, setTyped, go, flag, value };
}
