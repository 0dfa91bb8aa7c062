import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor as poll } from '#src/common/index.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface BackendProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the built backend (`dist/main.js`) as a child process with the test environment plus `env`,
 * resolving once its log says it is ready.
 */
export async function startBackend(env: Record<string, string>, readyText: RegExp): Promise<BackendProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // a backend that never got ready is not left running behind the test
      child.kill('SIGKILL');
      reject(new Error(`backend not ready in 60 s:\n${output.slice(-20_000)}`));
    }, 60_000);
    const check = () => {
      if (readyText.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code}:\n${output.slice(-20_000)}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          return resolve();
        }
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A processor; its health and metrics port is any free one (several run at once), unless `env` names one. */
export const startProcessor = (env: Record<string, string> = {}) =>
  startBackend({ APP_ROLE: 'processor', PROCESSOR_HTTP_PORT: '0', ...env }, /processor consuming raw users/);

/** The port a processor's health and metrics server bound to, read from its log. */
export function processorHttpPort(processor: BackendProcess): number {
  const match = /processor health and metrics on http:\/\/[^\s:]+:(\d+)/.exec(processor.output());
  if (!match) {
    throw new Error('the processor did not log its health and metrics port');
  }
  return Number(match[1]);
}

/** Polls until `check` returns a value other than undefined; on timeout, fails naming the last error seen. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 250, what = 'condition' } = {},
): Promise<T> {
  let found: { value: T } | undefined;
  try {
    // boxed, so that a check answering false has answered
    found = await poll(
      async () => {
        const value = await check();
        return value === undefined ? undefined : { value };
      },
      { everyMs: intervalMs, timeoutMs, notYet: () => true },
    );
  } catch (error) {
    throw new Error(`timed out waiting for ${what}: ${(error as Error).message}`);
  }
  if (!found) {
    throw new Error(`timed out waiting for ${what}`);
  }
  return found.value;
}

/** A TCP port free on 127.0.0.1 right now (for a server a test starts itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
