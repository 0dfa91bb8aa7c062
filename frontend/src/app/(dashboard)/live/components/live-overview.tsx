'use client';

import { useLiveStats } from '@/lib/live/use-live-stats';
import { PipelineStrip } from './pipeline-strip';
import { RunControls } from './run-controls';
import { ThroughputPanel } from './throughput-panel';

/** The parts of the Live page fed by the once-a-second `stats` event. */
export function LiveOverview() {
  const stats = useLiveStats();
  return (
    <div className="space-y-6">
      <PipelineStrip stats={stats} />
      <div className="grid gap-6 lg:grid-cols-5">
        <RunControls activeRuns={stats?.activeRuns} className="lg:col-span-2" />
        <ThroughputPanel stats={stats} className="lg:col-span-3" />
      </div>
    </div>
  );
}
