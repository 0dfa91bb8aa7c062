'use client';

import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { controlClass } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { Pager } from '@/components/ui/pager';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useConsumerGroups } from '@/lib/api/queries';
import { formatCount } from '@/lib/format';
import { useUrlList } from '@/lib/use-url-list';
import { GroupStateBadge } from './group-state-badge';

const PAGE_SIZE = 20;
const th = 'py-2 pr-3 font-semibold';

/** Consumer groups with server-side search and paging; search and page live in the URL. */
export function GroupsTable() {
  const { page, search, typed, setTyped, go } = useUrlList();

  const {
    data,
    error,
    isPending: loading,
  } = useConsumerGroups({
    page,
    pageSize: PAGE_SIZE,
    search: search || undefined,
  });

  return (
    <Card className="space-y-3">
      <form
        role="search"
        aria-label="Consumer groups"
        onSubmit={(event) => {
          event.preventDefault();
          go({ search: typed.trim() });
        }}
      >
        <label className="flex items-center gap-2 text-sm">
          <span className="sr-only">Search consumer groups</span>
          <input
            type="search"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder="Search consumer groups"
            data-testid="group-search"
            className={`${controlClass} w-56 sm:w-72`}
            autoComplete="off"
          />
        </label>
      </form>
      {error && <ErrorNotice title="Consumer groups unavailable">{error.message}</ErrorNotice>}
      {loading ? (
        <SkeletonRows rows={6} label="Loading consumer groups" />
      ) : data && data.items.length === 0 ? (
        <EmptyState title={search ? `No consumer group matches "${search}"` : 'No consumer groups yet'}>
          {search ? 'Try another search.' : 'Groups appear once a consumer joins or commits.'}
        </EmptyState>
      ) : data ? (
        <div
          className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Consumer groups, scrolls sideways on narrow screens"
        >
          <table aria-label="Consumer groups" className="w-full min-w-[36rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className={th}>
                  Group
                </th>
                <th scope="col" className={th}>
                  State
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Members
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Total lag
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {data.items.map((group) => (
                <tr key={group.groupId} data-testid="group-row" data-group={group.groupId}>
                  <td className="py-2 pr-3">
                    <Link
                      href={`/groups/${encodeURIComponent(group.groupId)}`}
                      className="font-mono break-all text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {group.groupId}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">
                    <GroupStateBadge state={group.state} />
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{group.members}</td>
                  <td className="py-2 pr-3 text-right tabular-nums" data-testid="group-lag">
                    {formatCount(group.totalLag)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (
        <Pager
          label="Consumer group pages"
          page={page}
          pageSize={PAGE_SIZE}
          total={data.total}
          noun="groups"
          onPage={(next) => go({ page: next })}
        />
      )}
    </Card>
  );
}
