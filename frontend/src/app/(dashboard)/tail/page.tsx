import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { ConnectionBadge } from '../live/components/connection-badge';
import { TopicTail } from './components/topic-tail';

export default function TailPage() {
  return (
    <>
      <PageHeader title="Tail" description="New messages of any topic as they arrive; dead letters first.">
        <ConnectionBadge />
      </PageHeader>
      <Suspense fallback={<SkeletonRows rows={6} label="Loading topics" />}>
        <TopicTail />
      </Suspense>
    </>
  );
}
