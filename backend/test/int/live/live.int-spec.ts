import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import {
  type ClientToServerEvents,
  LIVE_BATCH_CAP,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  LiveError,
  type LiveFilter,
  LiveHistory,
  LiveRunEvent,
  LiveStats,
  LiveSubscribeResult,
  LiveUsersBatch,
  type ServerToClientEvents,
  type StoredUser,
} from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { AuthService } from '#src/auth/auth.service.js';
import { createApp } from '#src/bootstrap.js';
import { RunsRepository } from '#src/run-store/runs.repository.js';
import { ProcessedStreamConsumer } from '#src/live/processed-stream.consumer.js';
import { storedUser } from '../../stored-user.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const config = intConfig();

const liveUser = (runId: string, country: string, nat: string, i: number): StoredUser =>
  storedUser({
    id: randomUUID(),
    firstName: `Live${i}`,
    lastName: 'Tester',
    country,
    nat,
    source: 'test',
    runId,
    processedAt: new Date().toISOString(),
  });

describe('live stream gateway (socket.io /live over the real processed topic)', () => {
  let app: INestApplication;
  let url: string;
  let producer: Producer;
  const clients: LiveClient[] = [];

  const connect = async (): Promise<LiveClient> => {
    const socket: LiveClient = io(`${url}${LIVE_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  };

  const subscribe = (socket: LiveClient, filter: LiveFilter) =>
    new Promise<LiveSubscribeResult>((resolve) =>
      socket.emit('subscribe', filter, (result) => resolve(LiveSubscribeResult.parse(result))),
    );

  const collect = (socket: LiveClient) => {
    const batches: LiveUsersBatch[] = [];
    socket.on('users', (batch) => batches.push(LiveUsersBatch.parse(batch)));
    return batches;
  };

  const produce = (users: StoredUser[]) =>
    producer.send({
      topic: config.kafka.topics.processedUsers,
      acks: -1,
      messages: users.map((user) => ({ key: user.id, value: JSON.stringify(user) })),
    });

  beforeAll(async () => {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const kafka = new Kafka({
      clientId: 'int-live',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await app.get(ProcessedStreamConsumer).joined;
    // the group has its partitions; make sure it also reads (it starts at the latest offset)
    const probe = await connect();
    const probeRun = randomUUID();
    const seen = collect(probe);
    expect(await subscribe(probe, { runId: probeRun })).toEqual({ ok: true, filter: { runId: probeRun } });
    await waitFor(
      async () => {
        await produce([liveUser(probeRun, 'Probe', 'XX', 0)]);
        await sleep(300);
        return seen.length > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the live consumer to read the processed topic' },
    );
  });

  afterAll(async () => {
    for (const client of clients) {
      client.disconnect();
    }
    await producer?.disconnect();
    await app?.close();
  });

  it('sends each client the processed users matching its filter, in batches', async () => {
    const runA = randomUUID();
    const runB = randomUUID();
    const all = await connect();
    const byRun = await connect();
    const byCountry = await connect();
    const byNat = await connect();
    const allBatches = collect(all);
    const runBatches = collect(byRun);
    const countryBatches = collect(byCountry);
    const natBatches = collect(byNat);
    await subscribe(all, {});
    await subscribe(byRun, { runId: runA });
    await subscribe(byCountry, { runId: runB, country: 'france' });
    await subscribe(byNat, { runId: runB, country: 'de' });

    const usersA = Array.from({ length: 50 }, (_, i) => liveUser(runA, i % 2 ? 'France' : 'Spain', 'ES', i));
    const french = Array.from({ length: 30 }, (_, i) => liveUser(runB, 'France', 'FR', i));
    const german = Array.from({ length: 20 }, (_, i) => liveUser(runB, 'Germany', 'DE', i));
    await produce([...usersA, ...french, ...german]);

    const ids = (batches: LiveUsersBatch[]) => batches.flatMap((batch) => batch.users.map((user) => user.id));
    const idsOf = (users: StoredUser[]) => users.map((user) => user.id).sort();
    await waitFor(() => Promise.resolve(ids(runBatches).length >= 50 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the users of run A',
    });
    await waitFor(() => Promise.resolve(ids(natBatches).length >= 20 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the German users of run B',
    });
    await sleep(600);

    expect(ids(runBatches).sort()).toEqual(idsOf(usersA));
    expect(ids(countryBatches).sort()).toEqual(idsOf(french));
    expect(ids(natBatches).sort()).toEqual(idsOf(german));
    for (const batch of [...runBatches, ...countryBatches, ...natBatches]) {
      expect(batch).toMatchObject({ sampled: 1, dropped: 0, total: batch.users.length });
    }
    expect(runBatches[0]!.filter).toEqual({ runId: runA });
    const everything = new Set(ids(allBatches));
    for (const user of [...usersA, ...french, ...german]) {
      expect(everything.has(user.id)).toBe(true);
    }
  });

  it('above the cap a batch is a sample that says so, and the totals still count every user', async () => {
    const runC = randomUUID();
    const client = await connect();
    const batches = collect(client);
    await subscribe(client, { runId: runC });
    const users = Array.from({ length: 3_000 }, (_, i) => liveUser(runC, 'Brazil', 'BR', i));
    await produce(users);

    const total = () => batches.reduce((sum, batch) => sum + batch.total, 0);
    await waitFor(() => Promise.resolve(total() >= 3_000 ? true : undefined), {
      timeoutMs: 20_000,
      what: '3,000 users counted',
    });
    expect(total()).toBe(3_000);
    const sampled = batches.filter((batch) => batch.sampled > 1);
    expect(sampled.length).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(batch.users.length).toBeLessThanOrEqual(LIVE_BATCH_CAP);
      expect(batch.dropped).toBe(batch.total - batch.users.length);
      expect(batch.users.every((user) => user.runId === runC)).toBe(true);
    }
    for (const batch of sampled) {
      expect(batch.users).toHaveLength(LIVE_BATCH_CAP);
      expect(batch.sampled).toBe(Math.max(2, Math.round(batch.total / LIVE_BATCH_CAP)));
    }
  });

  it('answers a bad filter with an error event and keeps the connection', async () => {
    const client = await connect();
    const errors: LiveError[] = [];
    client.on('error', (error) => errors.push(LiveError.parse(error)));
    const result = await subscribe(client, { runId: 'not-a-uuid', extra: true } as unknown as LiveFilter);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_FILTER' } });
    await waitFor(() => Promise.resolve(errors[0]), { timeoutMs: 5_000, what: 'the error event' });
    expect(errors[0]!.code).toBe('INVALID_FILTER');
    expect(errors[0]!.details?.map((detail) => detail.field)).toEqual(
      expect.arrayContaining(['runId', '(root)']),
    );
    const country = await subscribe(client, { country: ' x'.repeat(100) });
    expect(country.ok).toBe(false);
    expect(client.connected).toBe(true);
    expect(await subscribe(client, { country: 'Norway' })).toEqual({
      ok: true,
      filter: { country: 'Norway' },
    });
  });

  it('sends stats every second and run state changes, and serves the throughput history', async () => {
    const client = await connect();
    const stats: LiveStats[] = [];
    const runEvents: LiveRunEvent[] = [];
    client.on('stats', (event) => stats.push(LiveStats.parse(event)));
    client.on('run', (event) => runEvents.push(LiveRunEvent.parse(event)));
    await waitFor(() => Promise.resolve(stats.length >= 2 ? true : undefined), {
      timeoutMs: 5_000,
      what: 'two stats events',
    });
    expect(stats[1]!.t - stats[0]!.t).toBeGreaterThanOrEqual(500);
    expect(stats[1]!.t - stats[0]!.t).toBeLessThanOrEqual(2_500);

    const runs = app.get(RunsRepository);
    const now = new Date();
    const run = await runs.create({
      state: 'running',
      source: 'synthetic',
      params: { source: 'synthetic', ratePerSecond: 1_000, batchSize: 100 },
      scheduleId: null,
      owner: 'live-int-spec',
      startedAt: now,
      heartbeatAt: now,
    });
    await waitFor(() => Promise.resolve(runEvents.find((event) => event.run.id === run.id)), {
      timeoutMs: 5_000,
      what: 'the run to appear',
    });
    await waitFor(
      () =>
        Promise.resolve(stats.at(-1)?.activeRuns.some((active) => active.id === run.id) ? true : undefined),
      { timeoutMs: 5_000, what: 'the run among the active runs' },
    );
    await runs.heartbeat(run.id, { fetched: 5_000, produced: 5_000 });
    await waitFor(() => Promise.resolve((stats.at(-1)?.rates.produced ?? 0) > 0 ? true : undefined), {
      timeoutMs: 5_000,
      what: 'a produced rate',
    });
    await runs.transition(run.id, ['running'], 'stopped');
    const stopped = await waitFor(
      () =>
        Promise.resolve(runEvents.find((event) => event.run.id === run.id && event.run.state === 'stopped')),
      { timeoutMs: 5_000, what: 'the stop to be announced' },
    );
    expect(stopped.previousState).toBe('running');
    expect(stopped.run.counters.produced).toBe(5_000);

    const history = LiveHistory.parse(
      (await request(app.getHttpServer()).get('/api/live/history?range=10m').expect(200)).body,
    );
    expect(history.bucketSeconds).toBe(1);
    expect(history.points.length).toBeGreaterThanOrEqual(2);
    expect(history.points.some((point) => point.rates.produced > 0)).toBe(true);
    const day = LiveHistory.parse(
      (await request(app.getHttpServer()).get('/api/live/history?range=24h').expect(200)).body,
    );
    expect(day.bucketSeconds).toBe(60);
    await request(app.getHttpServer()).get('/api/live/history?range=1y').expect(400);
  });
});

describe('live stream gateway with AUTH_MODE=token', () => {
  let app: INestApplication;
  let url: string;
  const sockets: LiveClient[] = [];

  const attempt = (options: { auth?: { token: string }; query?: Record<string, string> }) => {
    const socket: LiveClient = io(`${url}${LIVE_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket'],
      reconnection: false,
      ...options,
    });
    sockets.push(socket);
    return new Promise<{ connected: true } | { connected: false; code: unknown }>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (error) =>
        resolve({ connected: false, code: (error as Error & { data?: { code?: unknown } }).data?.code }),
      );
    });
  };

  beforeAll(async () => {
    app = await createApp(intConfig({ AUTH_MODE: 'token', APP_ROLE: 'api' }));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) {
      socket.disconnect();
    }
    await app?.close();
  });

  it('refuses a handshake without a valid token and accepts one in auth.token or ?access_token=', async () => {
    const { token } = await app.get(AuthService).create({ name: `live-int-${randomUUID()}`, role: 'viewer' });
    expect(await attempt({})).toEqual({ connected: false, code: 'AUTH_TOKEN_MISSING' });
    expect(await attempt({ auth: { token: 'us_not-a-real-token' } })).toEqual({
      connected: false,
      code: 'AUTH_TOKEN_INVALID',
    });
    expect(await attempt({ auth: { token } })).toEqual({ connected: true });
    expect(await attempt({ query: { access_token: token } })).toEqual({ connected: true });
  });
});
