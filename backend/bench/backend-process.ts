/**
 * Backend processes for the benchmark: `node dist/main.js` (through measured-main.js) with APP_ROLE=api or
 * APP_ROLE=processor and the bench's topic prefix, consumer group and keyspace, each in a process of its
 * own as in production, so what /proc says of it is the backend's alone. Stopped by their own pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './harness.js';

const ENTRY = fileURLToPath(new URL('./measured-main.js', import.meta.url));
/** What main.ts logs once each role is serving. */
const READY = { api: /userstream api on http/, processor: /processor consuming raw users/ } as const;

export type BackendRole = keyof typeof READY;

/** measured-main's answer to 'heap'. */
export interface HeapReport {
  heapUsed: number;
  /** Whether a full collection ran first (node with --expose-gc). */
  collected: boolean;
}

export class BackendProcess {
  /** Every process started and not yet exited, so a failing or interrupted bench can stop them all. */
  private static readonly started = new Set<BackendProcess>();
  private output = '';
  private readonly exited: Promise<number | null>;
  /** Resolves once the process logged that it serves (a processor's group join may still be under way). */
  readonly ready: Promise<void>;

  private constructor(
    readonly role: BackendRole,
    private readonly child: ChildProcess,
  ) {
    const append = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    BackendProcess.started.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        BackendProcess.started.delete(this);
        resolve(code);
      }),
    );
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${role} not ready in 90 s:\n${this.tail()}`)), 90_000);
      const check = () => {
        if (!READY[role].test(this.output)) {
          return;
        }
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${role} exited with ${code}:\n${this.tail()}`));
      });
    });
    // callers that never await `ready` must not crash the bench with an unhandled rejection
    this.ready.catch(() => undefined);
  }

  static async stopAll(): Promise<void> {
    await Promise.all([...BackendProcess.started].map((backend) => backend.stop()));
  }

  /**
   * `env` is added to this process's environment (the bench's DATABASE_URL, keyspace, port...).
   * BENCH_NODE_ARGS adds node options to every backend process, e.g. `--cpu-prof --cpu-prof-dir=prof`
   * (not allowed in NODE_OPTIONS).
   */
  static start(role: BackendRole, env: Record<string, string>): BackendProcess {
    const extra = (process.env['BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
    // the heap cap of backend/package.json's start scripts, so the bench measures what production runs
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=192',
        '--initial-old-space-size=128',
        '--heap-growing-percent=60',
        '--expose-gc',
        ...extra,
        ENTRY,
      ],
      {
        // several processors run at once: each takes any free port for its health and metrics
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          PROCESSOR_HTTP_PORT: '0',
          ...env,
          APP_ROLE: role,
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    return new BackendProcess(role, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) {
      throw new Error(`${this.role} process has no pid (spawn failed)`);
    }
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 20): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** The process's V8 heap after a full collection. */
  heap(): Promise<HeapReport> {
    const answer = new Promise<HeapReport>((resolve) => this.child.once('message', resolve as never));
    this.child.send('heap');
    return withTimeout(answer, 10_000, `the ${this.role} process's heap`);
  }

  /** SIGTERM (a processor leaves its group cleanly), SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) {
      return;
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
