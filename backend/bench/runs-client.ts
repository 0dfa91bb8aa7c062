/** The benchmark drives runs as a user does: through the backend's REST API. */
import { FINISHED_RUN_STATES, Run, type RunParams } from '@userstream/contracts';
import { pollUntil } from './harness.js';

export class RunsClient {
  constructor(private readonly baseUrl: string) {}

  async start(params: RunParams): Promise<Run> {
    return this.call('POST', '/api/ingestion/runs', params);
  }

  async find(id: string): Promise<Run> {
    return this.call('GET', `/api/ingestion/runs/${id}`);
  }

  /**
   * Waits for the run to end and returns it; a run that failed, stopped or was interrupted throws, so a
   * figure never comes from a run that did not do its whole job.
   */
  async completed(id: string, timeoutMs: number): Promise<Run> {
    const run = await this.ended(id, timeoutMs);
    if (run.state !== 'completed') {
      throw new Error(`run ${id} ended ${run.state}: ${run.error ?? 'no error recorded'}`);
    }
    return run;
  }

  /**
   * Stops the run and waits for it to end: for a flow that is not measured to its end, so the next case does
   * not wait for the processors to store what it no longer needs. A run that failed throws.
   */
  async stopped(id: string, timeoutMs: number): Promise<Run> {
    await this.call('POST', `/api/ingestion/runs/${id}/stop`);
    const run = await this.ended(id, timeoutMs);
    if (run.state !== 'stopped' && run.state !== 'completed') {
      throw new Error(`run ${id} ended ${run.state}: ${run.error ?? 'no error recorded'}`);
    }
    return run;
  }

  private ended(id: string, timeoutMs: number): Promise<Run> {
    return pollUntil(
      `run ${id} to end`,
      async () => {
        const current = await this.find(id);
        return FINISHED_RUN_STATES.includes(current.state) ? current : undefined;
      },
      { intervalMs: 100, timeoutMs },
    );
  }

  private async call(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Run> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
    }
    return Run.parse(JSON.parse(text));
  }
}
