import { Run, RunEventList } from '@userstream/contracts';
import { startBackend, waitFor } from '../../../processes.js';

const PORT = '3191';
const api = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${PORT}/api${path}`, init);
const startApi = () => startBackend({ APP_ROLE: 'api', PORT }, /userstream api on/);

describe('a backend that dies under a run', () => {
  it('marks the run interrupted when it comes back', async () => {
    let backend = await startApi();
    try {
      const res = await api('/ingestion/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'synthetic', ratePerSecond: 200, batchSize: 20 }),
      });
      expect(res.status).toBe(201);
      const run = Run.parse(await res.json());
      await backend.kill('SIGKILL');
      backend = await startApi();
      const after = await waitFor(
        async () => {
          const current = Run.parse(await (await api(`/ingestion/runs/${run.id}`)).json());
          return current.state === 'interrupted' ? current : undefined;
        },
        { timeoutMs: 30_000, what: 'the run to be marked interrupted' },
      );
      expect(after.error).toMatch(/stopped before it finished/);
      expect(after.finishedAt).not.toBeNull();
      const events = await waitFor(
        async () => {
          const list = RunEventList.parse(await (await api(`/ingestion/runs/${run.id}/events`)).json());
          return list.items.some((event) => event.kind === 'interrupted') ? list : undefined;
        },
        { timeoutMs: 10_000, what: 'the interrupted event' },
      );
      expect(events.items[0]?.kind).toBe('started');
      expect(events.items.at(-1)).toMatchObject({
        kind: 'interrupted',
        message: expect.stringMatching(/stopped heartbeating/),
      });
    } finally {
      await backend.kill('SIGTERM');
    }
  });

  it('on SIGTERM ends its runs as interrupted before exiting', async () => {
    const backend = await startApi();
    const res = await api('/ingestion/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'synthetic', ratePerSecond: 200, batchSize: 20 }),
    });
    const run = Run.parse(await res.json());
    await backend.kill('SIGTERM');
    const checker = await startApi();
    try {
      const current = Run.parse(await (await api(`/ingestion/runs/${run.id}`)).json());
      expect(current.state).toBe('interrupted');
      expect(current.error).toMatch(/shut down/);
    } finally {
      await checker.kill('SIGTERM');
    }
  });
});
