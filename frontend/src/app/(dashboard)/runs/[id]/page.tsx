import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { RunDetail } from '../components/run-detail';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader title={`Run ${id.slice(0, 8)}`} description={id}>
        <Link href="/runs" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← All runs
        </Link>
      </PageHeader>
      <RunDetail id={id} />
    </>
  );
}
