import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { GroupsTable } from './components/groups-table';

export default function GroupsPage() {
  return (
    <>
      <PageHeader
        title="Consumer groups"
        description="Who reads which topics, how far behind, and where their offsets are."
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading consumer groups" />}>
        <GroupsTable />
      </Suspense>
    </>
  );
}
