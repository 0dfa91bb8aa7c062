import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { type RawUser, Run } from '@userstream/contracts';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { AppConfig } from '#src/config/app-config.js';
import { waitFor } from '../processes.js';

/** One line per fault, read by the teardown that prints the table. */
export const RESULTS_FILE = fileURLToPath(new URL('./output/results.jsonl', import.meta.url));
const CLI = fileURLToPath(new URL('../../../libs/stack/bin/userstream.mjs', import.meta.url));

export interface FaultRow {
  fault: string;
  produced: number;
  stored: number;
  /** Rows for the run beyond one per produced user id (the store's key makes this 0 by design; checked anyway). */
  duplicated: number;
  /** Produced user ids with no row. */
  lost: number;
  /** Produced users stored but not found by their run (the run's index read missed them). */
  unindexed?: number;
  deadLettered: number;
  /** From the end of the fault to the pipeline storing users again, seconds. */
  recoverySeconds: number | null;
  outcome: string;
}

export function recordRow(row: FaultRow): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify(row)}\n`);
}

/** `stack down kafka`, `stack up cassandra`...: the project's own runner stops and starts its servers. */
export async function stack(...args: string[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [CLI, 'stack', ...args], { timeout: 240_000 });
  } catch (error) {
    // the runner says what went wrong on its standard output
    const { stdout = '' } = error as { stdout?: string };
    throw new Error(`stack ${args.join(' ')} failed: ${(error as Error).message}\n${stdout.slice(-2_000)}`);
  }
}

export { sleep };

/** SIGKILLs one server of the stack (`kafka-2`, `cassandra-3`...), as a crashed machine would stop it. */
export async function killServer(name: string): Promise<void> {
  // bounded: the status of a loaded cluster takes seconds, never minutes
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'stack', 'status', '--json'], {
    timeout: 60_000,
  });
  const pid = (JSON.parse(stdout) as Record<string, { pid?: number; state: string }>)[name]?.pid;
  if (!pid) {
    throw new Error(`${name} is not running`);
  }
  process.kill(pid, 'SIGKILL');
}

/**
 * Progress of the processor group: the sum of its committed offsets on the raw topic. The processor commits
 * only after Cassandra acknowledged the writes, so this grows exactly when users are being stored (and it is a
 * cheap metadata call, unlike counting rows).
 */
/** A Kafka client of the suite's own, patient with brokers that a fault has slowed or is restarting. */
export function suiteKafka(brokers: string[]): Kafka {
  return new Kafka({
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}

export function processorProgress(app: INestApplication) {
  const config = app.get(AppConfig);
  const admin = suiteKafka(config.kafka.brokers).admin();
  const committed = async () => {
    const [topic] = await admin.fetchOffsets({
      groupId: config.kafka.processorGroupId,
      topics: [config.kafka.topics.rawUsers],
    });
    return (topic?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
  };
  const end = async () =>
    (await admin.fetchTopicOffsets(config.kafka.topics.rawUsers)).reduce(
      (sum, { high }) => sum + Number(high),
      0,
    );
  return {
    connect: () => admin.connect(),
    close: () => admin.disconnect(),
    committed,
    /**
     * Seconds from `since` until the group commits past what it had committed when this was called, or has
     * committed everything on the topic (an outage the processors did not wait for may leave nothing to do).
     */
    async recoveredAfter(since: number, timeoutMs = 180_000): Promise<number> {
      const before = await waitFor(() => committed().catch(() => undefined), {
        timeoutMs,
        what: 'Kafka to answer',
      });
      await waitFor(
        async () => {
          const now = await committed();
          return now > before || now >= (await end()) ? true : undefined;
        },
        { timeoutMs, intervalMs: 200, what: 'the processors to commit again' },
      );
      return (Date.now() - since) / 1000;
    },
  };
}

/**
 * Every produced user id stored exactly once: the first `run.counters.produced` users of the seed are what was
 * produced (the generator is deterministic), the run's rows are what Cassandra holds.
 */
export async function reconcileSynthetic(app: INestApplication, run: Run, seed: string) {
  const users = app.get(UsersRepository);
  const expected = new Set(
    (await new SyntheticSource({ seed }).next(run.counters.produced)).map((user) =>
      deriveUserId(user as RawUser),
    ),
  );
  const ids = await users.idsByRun(run.id);
  const stored = new Set(ids);
  const missing = [...expected].filter((id) => !stored.has(id));
  // a user the run's index did not answer may still be stored: look each one up by its key before calling it lost
  const found = new Set<string>();
  for (let i = 0; i < missing.length; i += 100) {
    for (const row of await users.findByIds(missing.slice(i, i + 100))) {
      found.add(row.id);
    }
  }
  const unexpected = ids.filter((id) => !expected.has(id)).length;
  return {
    produced: run.counters.produced,
    stored: ids.length,
    duplicated: ids.length - stored.size + unexpected,
    lost: missing.length - found.size,
    // stored, but not found by run: the index read missed them, or a later run's write took them over
    unindexed: found.size,
  };
}

/**
 * A TCP proxy in front of a server this suite must not stop (the machine's PostgreSQL): `cut()` drops every
 * connection and refuses new ones, as an outage looks to clients; `restore()` lets them through again.
 */
export async function startOutageProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) {
        socket.destroy();
      }
      if (!server) {
        return resolve();
      }
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { port, cut: close, restore: listen, close };
}

/**
 * A TCP proxy that holds every chunk sent to the server for `delayMs` (in order), as a slow or overloaded store
 * looks to its clients: each request waits that long before the server even sees it.
 */
export async function startLatencyProxy(targetPort: number) {
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    // chunks leave in arrival order, each no earlier than its own arrival + delay
    let last = Promise.resolve();
    client.on('data', (chunk) => {
      const due = Date.now() + delayMs;
      last = last.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) {
          await sleep(wait);
        }
        upstream.write(chunk);
      });
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    setDelay: (ms: number) => (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
