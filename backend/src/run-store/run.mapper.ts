import type { Run, RunState } from '@userstream/contracts';
import type { IngestionRunEntity } from './ingestion-run.entity.js';

/** A row of the runs table as the API and the live stream send it. */
export function toRun(entity: IngestionRunEntity): Run {
  const started = entity.startedAt?.getTime();
  const ended = entity.finishedAt?.getTime() ?? (started === undefined ? undefined : Date.now());
  return {
    id: entity.id,
    state: entity.state as RunState,
    source: entity.source as Run['source'],
    params: entity.params,
    scheduleId: entity.scheduleId,
    counters: {
      fetched: entity.fetched,
      produced: entity.produced,
      processed: entity.processed,
      stored: entity.stored,
      deadLettered: entity.deadLettered,
    },
    error: entity.error,
    errors: entity.errors,
    createdAt: entity.createdAt.toISOString(),
    startedAt: entity.startedAt?.toISOString() ?? null,
    finishedAt: entity.finishedAt?.toISOString() ?? null,
    durationMs: started === undefined || ended === undefined ? null : ended - started,
  };
}
