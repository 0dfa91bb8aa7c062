/**
 * Processor processes for the benchmark: `node dist/main.js` with APP_ROLE=processor and the bench's
 * topic prefix, consumer group and keyspace. Stopped by their own pid, never by name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const READY = /processor consuming raw users/;

export class ProcessorProcess {
  /** Every processor started and not yet exited, so a failing or interrupted bench can stop them all. */
  private static readonly started = new Set<ProcessorProcess>();
  private output = '';
  private readonly exited: Promise<number | null>;
  /** Resolves once the process logged that it consumes (its group join may still be under way). */
  readonly ready: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const append = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    ProcessorProcess.started.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        ProcessorProcess.started.delete(this);
        resolve(code);
      }),
    );
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`processor not ready in 90 s:\n${this.tail()}`)),
        90_000,
      );
      const check = () => {
        if (!READY.test(this.output)) return;
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`processor exited with ${code}:\n${this.tail()}`));
      });
    });
    // callers that never await `ready` must not crash the bench with an unhandled rejection
    this.ready.catch(() => undefined);
  }

  static async stopAll(): Promise<void> {
    await Promise.all([...ProcessorProcess.started].map((processor) => processor.stop()));
  }

  /** `env` is added to this process's environment (the bench's DATABASE_URL, brokers...). */
  static start(env: Record<string, string>): ProcessorProcess {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env, APP_ROLE: 'processor' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ProcessorProcess(child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('processor process has no pid (spawn failed)');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 20): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (the processor leaves its group cleanly), SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
