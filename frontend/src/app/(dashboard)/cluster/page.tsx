import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { ClusterView } from './components/cluster-view';

export default function ClusterPage() {
  return (
    <>
      <PageHeader
        title="Cluster"
        description="Kafka brokers and Cassandra nodes: which are up, what they hold, and what needs attention."
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading the cluster" />}>
        <ClusterView />
      </Suspense>
    </>
  );
}
