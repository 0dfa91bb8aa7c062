import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { TopicsTable } from './components/topics-table';

export default function TopicsPage() {
  return (
    <>
      <PageHeader title="Topics" description="Kafka topics, partitions, consumer groups and messages." />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading topics" />}>
        <TopicsTable />
      </Suspense>
    </>
  );
}
