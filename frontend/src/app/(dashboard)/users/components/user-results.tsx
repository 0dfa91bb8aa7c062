'use client';

import type { StoredUser } from '@userstream/contracts';
import type { KeyboardEvent } from 'react';
import { UserAvatar } from '@/components/user-avatar';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { errorsFromApi } from '@/lib/forms/run-params';
import { formatDate } from '@/lib/format';
import type { UserSearch } from './use-user-search';

const COLUMNS = ['', 'Name', 'Email', 'Country', 'Nat', 'Gender', 'Age', 'Registered'];

/** A 400 names each refused parameter in `details`; they are listed under its message. */
function SearchError({ error }: { error: Error }) {
  const details = Object.entries(errorsFromApi(error)).filter(([field]) => field !== 'form');
  return (
    <ErrorNotice title="Search failed">
      <p>{error.message}</p>
      {details.length > 0 && (
        <ul className="mt-1 list-inside list-disc">
          {details.map(([field, text]) => (
            <li key={field}>
              <span className="font-mono">{field}</span>: {text}
            </li>
          ))}
        </ul>
      )}
    </ErrorNotice>
  );
}

function UserRow({ user, onOpen }: { user: StoredUser; onOpen: (user: StoredUser) => void }) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(user);
    }
  };
  return (
    <tr
      tabIndex={0}
      data-testid="user-row"
      data-user-id={user.id}
      onClick={() => onOpen(user)}
      onKeyDown={onKeyDown}
      className="cursor-pointer hover:bg-slate-50 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800/60 dark:focus-visible:bg-indigo-950"
    >
      <td className="py-1.5 pr-3 pl-1">
        <UserAvatar src={user.pictureThumbnail} firstName={user.firstName} lastName={user.lastName} />
      </td>
      <td className="py-1.5 pr-3 font-medium whitespace-nowrap">
        {user.firstName} {user.lastName}
      </td>
      <td className="max-w-[16rem] truncate py-1.5 pr-3 text-slate-600 dark:text-slate-300">
        {user.email ?? '–'}
      </td>
      <td className="py-1.5 pr-3 whitespace-nowrap">{user.country ?? '–'}</td>
      <td className="py-1.5 pr-3 font-mono text-xs">{user.nat ?? '–'}</td>
      <td className="py-1.5 pr-3">{user.gender ?? '–'}</td>
      <td className="py-1.5 pr-3 text-right tabular-nums">{user.age ?? '–'}</td>
      <td className="py-1.5 pr-1 text-xs whitespace-nowrap tabular-nums">{formatDate(user.registered)}</td>
    </tr>
  );
}

/** The search results: a table that scrolls sideways on narrow screens, paged with the API's cursor. */
export function UserResults({
  search,
  filtered,
  onOpen,
}: {
  search: UserSearch;
  filtered: boolean;
  onOpen: (user: StoredUser) => void;
}) {
  const { items, nextCursor, loading, loadingMore, error } = search;
  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="users-results-title" className="font-semibold">
          Results
        </h2>
        {!loading && items.length > 0 && (
          <p data-testid="users-count" className="text-sm text-slate-500 tabular-nums dark:text-slate-400">
            {items.length} shown{nextCursor ? ', more available' : ''}
          </p>
        )}
      </div>
      {error && <SearchError error={error} />}
      {loading ? (
        <SkeletonRows rows={8} label="Loading users" />
      ) : items.length === 0 ? (
        !error && (
          <EmptyState title={filtered ? 'No users match these filters' : 'No users stored yet'}>
            {filtered
              ? 'Text filters match whole values: try a full name or country.'
              : 'Start a run on the Live page.'}
          </EmptyState>
        )
      ) : (
        <div
          className="-mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Users found, scrolls sideways on narrow screens"
        >
          <table aria-labelledby="users-results-title" className="w-full min-w-[52rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800">
              <tr>
                {COLUMNS.map((label, index) => (
                  <th
                    key={index}
                    scope="col"
                    className={`py-2 pr-3 font-semibold ${label === 'Age' ? 'text-right' : ''}`}
                  >
                    {label || <span className="sr-only">Picture</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {items.map((user) => (
                <UserRow key={user.id} user={user} onOpen={onOpen} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && !loading && (
        <div className="flex justify-center">
          <Button onClick={search.loadMore} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </div>
      )}
    </Card>
  );
}
