'use client';

import type { StoredUser } from '@userstream/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { UserDrawer } from '@/components/user-drawer';
import { Card } from '@/components/ui/card';
import { draftFromParams, parseUserFilters } from '@/lib/forms/user-filters';
import { UserFilterForm } from './user-filter-form';
import { UserResults } from './user-results';
import { useUserSearch } from './use-user-search';

/** The filters live in the URL, so a search can be shared, reloaded, and linked to (`?runId=` from a run). */
export function UserSearchPanel() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const urlQuery = params.toString();
  const initial = draftFromParams(params);
  const applied = parseUserFilters(initial);
  const appliedUrl = applied.ok ? applied.url.toString() : undefined;
  // an invalid URL is not sent: the form shows why instead
  const search = useUserSearch(applied.ok ? applied.request.toString() : undefined);
  const [opened, setOpened] = useState<StoredUser>();

  const onSearch = (url: URLSearchParams) => {
    const next = url.toString();
    if (next === appliedUrl) search.reload();
    else router.push(next ? `${pathname}?${next}` : pathname, { scroll: false });
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
            if (urlQuery) router.push(pathname, { scroll: false });
          }}
        />
      </Card>
      {applied.ok && <UserResults search={search} filtered={appliedUrl !== ''} onOpen={setOpened} />}
      {opened && <UserDrawer userId={opened.id} initial={opened} onClose={() => setOpened(undefined)} />}
    </div>
  );
}
