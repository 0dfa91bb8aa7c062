import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { FINISHED_RUN_STATES, Run, type RunParams } from '@userstream/contracts';
import { waitFor } from './processes.js';

/**
 * The runs API of an app in this process (or of a backend process, through its base URL), as the tests drive it.
 * `headers` go with every request (a token, where auth is on).
 */
export function runsApi(target: INestApplication | string, headers: Record<string, string> = {}) {
  const http = () => request(typeof target === 'string' ? target : target.getHttpServer());
  const getRun = async (id: string) =>
    Run.parse((await http().get(`/api/ingestion/runs/${id}`).set(headers).expect(200)).body);
  /** The run once `check` holds for it. */
  const reaches = (id: string, check: (run: Run) => boolean, timeoutMs: number, what: string) =>
    waitFor(
      async () => {
        const run = await getRun(id);
        return check(run) ? run : undefined;
      },
      { timeoutMs, intervalMs: 250, what: `run ${id} ${what}` },
    );
  return {
    http,
    getRun,
    start: async (params: RunParams) =>
      Run.parse((await http().post('/api/ingestion/runs').set(headers).send(params).expect(201)).body),
    /** The run once `check` holds for it (its counters reaching a figure, mostly). */
    reaches: (id: string, check: (run: Run) => boolean, timeoutMs = 180_000) =>
      reaches(id, check, timeoutMs, 'to reach a condition'),
    /** The run once it is in a finished state, whichever. */
    finished: (id: string, timeoutMs = 300_000) =>
      reaches(id, (run) => FINISHED_RUN_STATES.includes(run.state), timeoutMs, 'to finish'),
  };
}
