'use client';

import type { StoredUser } from '@userstream/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { UserDrawer } from '@/components/user-drawer';
import { Card } from '@/components/ui/card';
import { useMe } from '@/lib/auth/use-me';
import { draftFromParams, parseUserFilters, searchRequest } from '@/lib/forms/user-filters';
import { UserFilterForm } from './user-filter-form';
import { UserResults } from './user-results';
import { useUserSearch } from './use-user-search';

/**
 * The filters live in the URL, so a search can be shared, reloaded, and linked to (`?runId=` from a run).
 * Personal fields come masked; an admin may show them for this page view (each such read is audited), which
 * is deliberately not kept in the URL.
 */
export function UserSearchPanel() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const urlQuery = params.toString();
  const initial = draftFromParams(params);
  const applied = parseUserFilters(initial);
  const appliedUrl = applied.ok ? applied.url.toString() : undefined;
  const isAdmin = useMe()?.role === 'admin';
  const [showPersonal, setShowPersonal] = useState(false);
  const unmasked = isAdmin && showPersonal;
  // an invalid URL is not sent: the form shows why instead
  const search = useUserSearch(applied.ok ? searchRequest(applied.request, unmasked).toString() : undefined);
  const [opened, setOpened] = useState<StoredUser>();

  const onSearch = (url: URLSearchParams) => {
    const next = url.toString();
    if (next === appliedUrl) {
      search.reload();
    } else {
      router.push(next ? `${pathname}?${next}` : pathname, { scroll: false });
    }
  };

  return (
    <div className="space-y-6">
      <Card>
        <UserFilterForm
          urlQuery={urlQuery}
          initial={initial}
          initialErrors={applied.ok ? {} : applied.errors}
          onSearch={onSearch}
          onReset={() => {
            if (urlQuery) {
              router.push(pathname, { scroll: false });
            }
          }}
        />
        {isAdmin && (
          <label className="mt-4 flex items-center gap-2 text-sm" data-testid="show-personal-data">
            <input
              type="checkbox"
              checked={showPersonal}
              onChange={(event) => setShowPersonal(event.target.checked)}
            />
            Show personal data
            <span className="text-xs text-slate-500 dark:text-slate-400">
              (email, phone, address, coordinates, birth date: admins only, each read is audited)
            </span>
          </label>
        )}
      </Card>
      {applied.ok && <UserResults search={search} filtered={appliedUrl !== ''} onOpen={setOpened} />}
      {opened && (
        <UserDrawer
          userId={opened.id}
          initial={opened}
          unmasked={unmasked}
          onClose={() => setOpened(undefined)}
        />
      )}
    </div>
  );
}
