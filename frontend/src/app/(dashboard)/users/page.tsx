import { PageHeader } from '@/components/ui/page-header';

export default function UsersPage() {
  return <PageHeader title="Users" description="Search the users stored in Cassandra." />;
}
