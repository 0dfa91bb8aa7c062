import Link from 'next/link';
import { Suspense } from 'react';
import { SkeletonRows } from '@/components/ui/skeleton';
import { PageHeader } from '@/components/ui/page-header';
import { TopicDetailView } from '../components/topic-detail';

export default async function TopicPage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  return (
    <>
      <PageHeader title={name} description="Partitions, settings, consumer groups and messages.">
        <Link href="/topics" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← All topics
        </Link>
      </PageHeader>
      <Suspense fallback={<SkeletonRows rows={5} label="Loading topic" />}>
        <TopicDetailView name={name} />
      </Suspense>
    </>
  );
}
