import { Run, RunCurve, RunEventList, RunList, type RunParams, type RunState } from '@userstream/contracts';
import { apiGet, apiSend } from './client';

const noStore = { cache: 'no-store' } as const;

export function listRuns(page: number, pageSize: number, state?: RunState): Promise<RunList> {
  const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (state) {
    query.set('state', state);
  }
  return apiGet(`/api/ingestion/runs?${query}`, RunList, noStore);
}

export const getRun = (id: string) => apiGet(`/api/ingestion/runs/${encodeURIComponent(id)}`, Run, noStore);

export const startRun = (params: RunParams) => apiSend('POST', '/api/ingestion/runs', params, Run);

export const stopRun = (id: string) =>
  apiSend('POST', `/api/ingestion/runs/${encodeURIComponent(id)}/stop`, undefined, Run);

/** A new run with this run's parameters (and seed). */
export const rerunRun = (id: string) =>
  apiSend('POST', `/api/ingestion/runs/${encodeURIComponent(id)}/rerun`, undefined, Run);

/** The run's event log, oldest first. */
export function listRunEvents(id: string, page = 1, pageSize = 200): Promise<RunEventList> {
  const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  return apiGet(`/api/ingestion/runs/${encodeURIComponent(id)}/events?${query}`, RunEventList, noStore);
}

/** The run's counters, rates and backlog over its lifetime, kept by the backend. */
export const getRunCurve = (id: string) =>
  apiGet(`/api/ingestion/runs/${encodeURIComponent(id)}/curve`, RunCurve, noStore);
