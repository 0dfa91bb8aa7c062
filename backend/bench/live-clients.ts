/**
 * Child process of case 6 (live fan-out): `node dist-bench/bench/live-clients.js <url> <clients> <warmup s>
 * <seconds>` connects that many socket.io clients to the `/live` namespace, each on its own connection,
 * subscribes them all to every user, prints `ready`, and once the first `users` batch arrived measures
 * for <seconds> after <warmup s>. Prints one JSON line (LiveClientsResult) and exits. A process of its
 * own, so that decoding 50 streams does not slow the backend it measures.
 */
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  type LiveUsersBatch,
  type ServerToClientEvents,
} from '@userstream/contracts';
import { io, type Socket } from 'socket.io-client';
import { percentile } from './stats.js';

export interface LiveClientResult {
  batches: number;
  users: number;
  /** Users that matched in the server's batches (`total`), sampled or not. */
  matched: number;
  /** receive time - batch `at` (server emit time), ms. */
  lagP50: number | null;
  lagP99: number | null;
}

export interface LiveClientsResult {
  seconds: number;
  connectMs: number;
  clients: LiveClientResult[];
  /** receive time - user ingestedAt over the users of one client (ingest -> browser), ms. */
  ingestToClient: { p50: number | null; p99: number | null; users: number };
}

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const [url = '', clientsArg = '50', warmupArg = '2', secondsArg = '10'] = process.argv.slice(2);
const count = Number(clientsArg);
const warmupMs = Number(warmupArg) * 1000;
const seconds = Number(secondsArg);

const p = (values: number[], q: number) => (values.length > 0 ? percentile(values, q) : null);

function connect(): Promise<LiveClient> {
  return new Promise((resolve, reject) => {
    const socket: LiveClient = io(url + LIVE_NAMESPACE, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 20_000,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function main(): Promise<void> {
  const connectStarted = performance.now();
  const sockets = await Promise.all(Array.from({ length: count }, () => connect()));
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) =>
          socket.emit('subscribe', {}, (result) =>
            result.ok ? resolve() : reject(new Error(result.error.message)),
          ),
        ),
    ),
  );
  const connectMs = performance.now() - connectStarted;
  process.stdout.write('ready\n');

  const window: { from?: number; to?: number } = {};
  const results = sockets.map(() => ({ batches: 0, users: 0, matched: 0, lags: [] as number[] }));
  const ingestLags: number[] = [];
  const done = new Promise<void>((resolve) => {
    sockets.forEach((socket, i) => {
      socket.on('users', (batch: LiveUsersBatch) => {
        const now = Date.now();
        if (window.from === undefined) {
          window.from = now + warmupMs;
          window.to = window.from + seconds * 1000;
          setTimeout(resolve, window.to - now + 100);
        }
        if (now < window.from || now > window.to!) {
          return;
        }
        const result = results[i]!;
        result.batches += 1;
        result.users += batch.users.length;
        result.matched += batch.total;
        result.lags.push(now - Date.parse(batch.at));
        if (i === 0) {
          for (const user of batch.users) {
            if (user.ingestedAt) {
              ingestLags.push(now - Date.parse(user.ingestedAt));
            }
          }
        }
      });
    });
  });
  await done;
  for (const socket of sockets) {
    socket.disconnect();
  }
  const output: LiveClientsResult = {
    seconds,
    connectMs,
    clients: results.map(({ lags, ...counts }) => ({ ...counts, lagP50: p(lags, 50), lagP99: p(lags, 99) })),
    ingestToClient: { p50: p(ingestLags, 50), p99: p(ingestLags, 99), users: ingestLags.length },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`live clients failed: ${error.message}\n`);
    process.exit(1);
  },
);
