import { HealthPanel } from '@/components/health-panel';
import { PageHeader } from '@/components/ui/page-header';

export default function LivePage() {
  return (
    <>
      <PageHeader title="Live" description="Users streaming from the source through Kafka into Cassandra." />
      <HealthPanel />
    </>
  );
}
