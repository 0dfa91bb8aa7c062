import { HealthPanel } from '@/components/health-panel';
import { ProcessorsPanel } from '@/components/processors-panel';
import { PageHeader } from '@/components/ui/page-header';
import { ConnectionBadge } from './components/connection-badge';
import { LiveOverview } from './components/live-overview';
import { LiveUsers } from './components/live-users';

export default function LivePage() {
  return (
    <>
      <PageHeader title="Live" description="Users streaming from the source through Kafka into Cassandra.">
        <ConnectionBadge />
      </PageHeader>
      <div className="space-y-6">
        <LiveOverview />
        <LiveUsers />
        <ProcessorsPanel />
        <HealthPanel />
      </div>
    </>
  );
}
