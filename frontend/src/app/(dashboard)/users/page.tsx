import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { UserSearchPanel } from './components/user-search-panel';
import { UserStatsPanel } from './components/user-stats-panel';

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" description="Search the users stored in Cassandra." />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <Suspense fallback={<SkeletonRows rows={8} label="Loading the search" />}>
          <UserSearchPanel />
        </Suspense>
        <UserStatsPanel />
      </div>
    </>
  );
}
