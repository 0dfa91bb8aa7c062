import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { SkeletonRows } from '@/components/ui/skeleton';
import { DeadLettersView } from './components/dead-letters-view';

export default function DeadLettersPage() {
  return (
    <>
      <PageHeader
        title="Dead letters"
        description="Records the processors could not store, grouped by reason and run. Fix the cause, then redrive them."
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading dead letters" />}>
        <DeadLettersView />
      </Suspense>
    </>
  );
}
