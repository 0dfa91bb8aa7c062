import { PageHeader } from '@/components/ui/page-header';

export default function TopicsPage() {
  return <PageHeader title="Topics" description="Kafka topics, partitions, consumer groups and messages." />;
}
