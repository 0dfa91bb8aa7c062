/**
 * Case 6, live fan-out: 50 socket.io clients (in a child process, live-clients.ts) subscribed to every
 * user on `/live` while a synthetic run pushes 5,000 users/s through the pipeline. Reports, per client,
 * the `users` batches and users delivered per second and the lag of each batch behind its server
 * timestamp. Skipped when the backend has no live gateway.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext, CaseOutcome } from './bench-context.js';
import { progress, withTimeout } from './harness.js';
import type { LiveClientsResult } from './live-clients.js';
import type { Figure } from './report.js';

const CASE = '6 live';
const CLIENTS = fileURLToPath(new URL('./live-clients.js', import.meta.url));

/** Starts the clients' process: `onReady` once all are subscribed, `result` when it has measured and ended. */
function startClients(
  args: string[],
  onReady: () => void,
): { result: Promise<LiveClientsResult>; stop(): void } {
  const child = spawn(process.execPath, [CLIENTS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ready = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!ready && stdout.includes('ready\n')) {
      ready = true;
      onReady();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-5_000)));
  const result = new Promise<LiveClientsResult>((resolve, reject) => {
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as LiveClientsResult);
      } else {
        reject(new Error(`live clients exited with ${code}: ${stderr.trim()}`));
      }
    });
  });
  return {
    result,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
    },
  };
}

export async function liveFanoutCase(ctx: BenchContext): Promise<CaseOutcome> {
  const { clients, ratePerSecond, batchSize, seconds, warmupSeconds } = ctx.settings.live;
  progress(
    `${CASE}: ${clients} socket.io clients, ${ratePerSecond.toLocaleString('en')} users/s for ${seconds} s`,
  );
  const notes: string[] = [];
  let runId: string | undefined;
  let started: Promise<void> = Promise.resolve();
  const liveClients = startClients(
    [ctx.backendUrl, String(clients), String(warmupSeconds), String(seconds)],
    () => {
      // the clients are subscribed: start the flow (it outlasts their measuring window)
      started = ctx.runs
        .start({
          source: 'synthetic',
          ratePerSecond,
          batchSize,
          durationSeconds: warmupSeconds + seconds + 3,
          seed: `${ctx.prefix}live`,
        })
        .then((run) => {
          runId = run.id;
        });
    },
  );
  let result: LiveClientsResult;
  try {
    result = await withTimeout(liveClients.result, (warmupSeconds + seconds + 90) * 1000, 'the live clients');
  } finally {
    liveClients.stop();
    await started;
    if (runId) {
      // what the processor has not stored yet is not part of this case
      await ctx.runs.stopped(runId, 90_000);
    }
  }

  const per = (pick: (c: LiveClientsResult['clients'][number]) => number | null) =>
    result.clients.map(pick).filter((value): value is number => value !== null);
  const figure = (id: string, name: string, unit: string, samples: number[], note: string): Figure => ({
    id,
    case: CASE,
    name,
    unit,
    samples,
    warmup: [],
    note,
  });
  const perClient = `one sample per client (${result.clients.length}), over ${result.seconds} s`;
  return {
    notes,
    figures: [
      figure(
        'live.batches',
        'users batches per client',
        'batches/s',
        per((c) => c.batches / result.seconds),
        perClient,
      ),
      figure(
        'live.users',
        'users delivered per client',
        'users/s',
        per((c) => c.users / result.seconds),
        `${perClient}; at most 200 per batch, sampled above`,
      ),
      figure(
        'live.matched',
        'users matched per client',
        'users/s',
        per((c) => c.matched / result.seconds),
        'users the server saw on the processed topic',
      ),
      figure(
        'live.lag.p50',
        'batch lag p50 (receive - batch.at)',
        'ms',
        per((c) => c.lagP50),
        perClient,
      ),
      figure(
        'live.lag.p99',
        'batch lag p99 (receive - batch.at)',
        'ms',
        per((c) => c.lagP99),
        perClient,
      ),
      figure(
        'live.ingest.p99',
        'ingest -> client p99',
        'ms',
        result.ingestToClient.p99 === null ? [] : [result.ingestToClient.p99],
        `one client, ${result.ingestToClient.users.toLocaleString('en')} users; connect of all clients took ${Math.round(result.connectMs)} ms`,
      ),
    ],
  };
}
