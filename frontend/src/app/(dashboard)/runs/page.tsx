import { Suspense } from 'react';
import { SkeletonRows } from '@/components/ui/skeleton';
import { PageHeader } from '@/components/ui/page-header';
import { RunsTable } from './components/runs-table';
import { SchedulesPanel } from './components/schedules-panel';

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" description="Ingestion runs, their counters per stage, and schedules." />
      <div className="space-y-6">
        <Suspense fallback={<SkeletonRows rows={6} label="Loading runs" />}>
          <RunsTable />
        </Suspense>
        <SchedulesPanel />
      </div>
    </>
  );
}
