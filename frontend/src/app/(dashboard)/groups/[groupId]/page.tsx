import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { GroupDetailView } from '../components/group-detail';

export default async function GroupPage({ params }: { params: Promise<{ groupId: string }> }) {
  const groupId = decodeURIComponent((await params).groupId);
  return (
    <>
      <PageHeader title={groupId} description="Members, lag per partition and its trend, offset reset.">
        <Link href="/groups" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← All consumer groups
        </Link>
      </PageHeader>
      <GroupDetailView groupId={groupId} />
    </>
  );
}
