/** How the benchmark judges the end of a run it started through RunsService. */
import type { Run } from '@userstream/contracts';
import type { RunsService } from '../ingestion/runs/runs.service.js';

/**
 * Waits for a run of this process to end and returns it. A run that failed, stopped or was interrupted
 * throws. One still `running` after it settled could not record its end (RunExecution.finish caught an
 * error, e.g. Cassandra refusing the stored count): that is noted, not fatal, since the benchmark
 * checks what was produced and committed from the Kafka offsets itself.
 */
export async function settledRun(runs: RunsService, runId: string, notes: string[]): Promise<Run> {
  await runs.settled(runId);
  const run = await runs.find(runId);
  if (run.state === 'completed') return run;
  if (run.state === 'running') {
    notes.push(
      `run ${runId} settled but is still "running": the backend could not record its end (see its log)`,
    );
    return run;
  }
  throw new Error(`run ${runId} ended ${run.state}: ${run.error ?? 'no error recorded'}`);
}
