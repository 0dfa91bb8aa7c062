import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import {
  ApiError,
  AuditList,
  type ClientToServerEvents,
  CreatedToken,
  LIVE_NAMESPACE,
  LIVE_SOCKET_PATH,
  LIVE_UNMASKED_PARAM,
  LiveSubscribeResult,
  LiveUsersBatch,
  type Role,
  type ServerToClientEvents,
  type StoredUser,
  UserDetail,
  UserLineage,
  UserPage,
} from '@userstream/contracts';
import { AuditService } from '#src/audit/audit.service.js';
import { createApp } from '#src/bootstrap.js';
import { maskStoredUser } from '#src/common/personal-data.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { ProcessedStreamConsumer } from '#src/live/processed-stream.consumer.js';
import { transformUser } from '#src/processing/user-transform.js';
import { toStoredUser, type UserRow } from '#src/users/user-row.js';
import { UsersRepository } from '#src/users/users.repository.js';
import { intConfig, uniqueName } from '../int-env.js';
import { waitFor } from '../processes.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const ADMIN_TOKEN = `sec-admin-${randomBytes(24).toString('hex')}`;
const config = intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN });
const MASKED_ROLES = ['viewer', 'operator'] as const;

/** The personal values of a user, each of which must never reach a viewer or an operator. */
function personalValues(user: StoredUser): string[] {
  const values = [
    user.email,
    user.email?.split('@')[0],
    user.username,
    user.phone,
    user.cell,
    user.street,
    user.dob,
    user.pictureLarge,
    user.pictureThumbnail,
    user.latitude === null ? null : String(user.latitude),
    user.longitude === null ? null : String(user.longitude),
  ];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 2);
}

describe('personal data by role: masked for viewers and operators, unmasked only when an admin asks, audited', () => {
  let app: NestExpressApplication;
  let url: string;
  let producer: Producer;
  const tokens = {} as Record<Role, CreatedToken>;
  const clients: LiveClient[] = [];
  const runId = randomUUID();
  let people: StoredUser[];
  const http = () => request(app.getHttpServer());
  const as = (role: Role) => ({ authorization: `Bearer ${tokens[role].token}` });

  const leaks = (body: unknown, users: StoredUser[] = people): string[] => {
    const text = JSON.stringify(body);
    return users.flatMap(personalValues).filter((value) => text.includes(value));
  };

  const auditOf = async (role: Role, method: string) => {
    await app.get(AuditService).flush();
    const res = await http()
      .get('/api/audit')
      .query({ actor: tokens[role].name, method, pageSize: '200' })
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    return AuditList.parse(res.body).items;
  };

  /** A live client; `ready` resolves once connected (null) or with the refusal's code. */
  const connect = (token: string, query: Record<string, string> = {}) => {
    const socket: LiveClient = io(`${url}${LIVE_NAMESPACE}`, {
      path: LIVE_SOCKET_PATH,
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
      query,
    });
    clients.push(socket);
    const ready = new Promise<string | null>((resolve) => {
      socket.once('connect', () => resolve(null));
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
        resolve(error.data?.code ?? error.message),
      );
    });
    return { socket, ready };
  };

  beforeAll(async () => {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const res = await http()
        .post('/api/auth/tokens')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ name: uniqueName(`sec-pd-${role}`), role })
        .expect(201);
      tokens[role] = CreatedToken.parse(res.body);
    }
    const now = new Date();
    const raws = await new SyntheticSource({ seed: `personal-data-${runId}` }).next(4);
    const rows = raws.map((raw): UserRow => {
      const result = transformUser(raw, { source: 'synthetic', runId, ingestedAt: now }, now);
      if (!result.ok) {
        throw new Error(result.reason);
      }
      return result.user;
    });
    await app.get(UsersRepository).upsertMany(rows);
    people = rows.map(toStoredUser).sort((a, b) => a.id.localeCompare(b.id));
    // the seed must hold what is being hidden, or the test proves nothing
    for (const field of [
      'email',
      'phone',
      'cell',
      'street',
      'dob',
      'latitude',
      'longitude',
      'username',
    ] as const) {
      expect([field, people.every((user) => user[field] !== null)]).toEqual([field, true]);
    }
    producer = new Kafka({
      clientId: 'sec-personal-data',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).producer({
      idempotent: true,
    });
    await producer.connect();
    await app.get(ProcessedStreamConsumer).joined;
  });

  afterAll(async () => {
    for (const client of clients) {
      client.disconnect();
    }
    await producer?.disconnect();
    await app?.close();
  });

  const byId = (users: StoredUser[]) => [...users].sort((a, b) => a.id.localeCompare(b.id));

  it.each(MASKED_ROLES)(
    'a %s gets personal fields masked on the list, by id and in the lineage',
    async (role) => {
      const page = UserPage.parse(
        (await http().get('/api/users').query({ runId }).set(as(role)).expect(200)).body,
      );
      expect(page.masked).toBe(true);
      expect(byId(page.items)).toEqual(people.map(maskStoredUser));
      expect(page.items[0]!.email).toMatch(/^.\*\*\*@/);
      expect(leaks(page)).toEqual([]);

      for (const user of people) {
        const one = UserDetail.parse(
          (await http().get(`/api/users/${user.id}`).set(as(role)).expect(200)).body,
        );
        expect(one).toEqual({ ...maskStoredUser(user), masked: true });
        const lineage = UserLineage.parse(
          (await http().get(`/api/users/${user.id}/lineage`).set(as(role)).expect(200)).body,
        );
        expect(lineage.userId).toBe(user.id);
        expect(leaks([one, lineage], [user])).toEqual([]);
      }
    },
  );

  it.each(MASKED_ROLES)(
    'a %s may not ask for unmasked users, nor filter by email or username',
    async (role) => {
      const user = people[0]!;
      const refusals = [
        http().get('/api/users').query({ runId, unmasked: 'true' }),
        http().get(`/api/users/${user.id}`).query({ unmasked: '1' }),
        http().get('/api/users').query({ email: user.email! }),
        http().get('/api/users').query({ username: user.username!, unmasked: 'false' }),
      ];
      const fields = [];
      for (const refused of refusals) {
        const res = await refused.set(as(role)).expect(403);
        const body = ApiError.parse(res.body);
        expect(body.code).toBe('AUTH_FORBIDDEN');
        expect(leaks(body)).toEqual([]);
        fields.push((body.details as { field: string }[]).map((detail) => detail.field));
      }
      expect(fields).toEqual([['unmasked'], ['unmasked'], ['email'], ['username']]);
      // refused attempts are on record too, without the address that was tried
      const refusedReads = await auditOf(role, 'GET');
      expect(refusedReads).toHaveLength(4);
      expect(refusedReads.every((entry) => entry.statusCode === 403 && !entry.success)).toBe(true);
      expect(leaks(refusedReads)).toEqual([]);
    },
  );

  it('an admin gets masked data unless asking; every unmasked read is audited, without the personal data', async () => {
    const user = people[1]!;
    const masked = UserPage.parse(
      (await http().get('/api/users').query({ runId }).set(as('admin')).expect(200)).body,
    );
    expect(masked.masked).toBe(true);
    expect(leaks(masked)).toEqual([]);
    expect(await auditOf('admin', 'GET')).toEqual([]);

    const clear = UserPage.parse(
      (await http().get('/api/users').query({ runId, unmasked: 'true' }).set(as('admin')).expect(200)).body,
    );
    expect(clear.masked).toBe(false);
    expect(byId(clear.items)).toEqual(people);
    const one = UserDetail.parse(
      (await http().get(`/api/users/${user.id}`).query({ unmasked: 'true' }).set(as('admin')).expect(200))
        .body,
    );
    expect(one).toEqual({ ...user, masked: false });
    const found = UserPage.parse(
      (
        await http()
          .get('/api/users')
          .query({ email: user.email!.toUpperCase(), runId })
          .set(as('admin'))
          .expect(200)
      ).body,
    );
    expect(found.items.map((item) => item.id)).toEqual([user.id]);
    expect(found.items[0]).toEqual(maskStoredUser(user));

    const entries = await auditOf('admin', 'GET');
    expect(entries.map((entry) => [entry.route, entry.statusCode, entry.role]).sort()).toEqual(
      [
        ['/api/users', 200, 'admin'],
        ['/api/users', 200, 'admin'],
        ['/api/users/:id', 200, 'admin'],
      ].sort(),
    );
    const byRoute = entries.find((entry) => entry.route === '/api/users/:id')!;
    expect(byRoute.target).toEqual({ params: { id: user.id }, query: { unmasked: 'true' } });
    expect(entries.map((entry) => entry.target?.['query'])).toEqual(
      expect.arrayContaining([
        { runId, unmasked: 'true' },
        { runId, email: '[redacted]' },
      ]),
    );
    expect(entries.every((entry) => entry.actor === tokens.admin.name && Date.parse(entry.at) > 0)).toBe(
      true,
    );
    expect(leaks(entries)).toEqual([]);
  });

  it('the live stream masks every record for viewers, operators and admins who did not ask; an admin who asks is audited', async () => {
    const viewer = connect(tokens.viewer.token);
    const operator = connect(tokens.operator.token);
    const admin = connect(tokens.admin.token);
    const adminUnmasked = connect(tokens.admin.token, { [LIVE_UNMASKED_PARAM]: 'true' });
    const refused = connect(tokens.viewer.token, { [LIVE_UNMASKED_PARAM]: 'true' });
    const refusedOperator = connect(tokens.operator.token, { [LIVE_UNMASKED_PARAM]: '1' });
    expect(await refused.ready).toBe('AUTH_FORBIDDEN');
    expect(await refusedOperator.ready).toBe('AUTH_FORBIDDEN');
    const sockets = { viewer, operator, admin, adminUnmasked };
    const received = new Map<string, LiveUsersBatch[]>();
    for (const [name, { socket, ready }] of Object.entries(sockets)) {
      expect([name, await ready]).toEqual([name, null]);
      const batches: LiveUsersBatch[] = [];
      received.set(name, batches);
      socket.on('users', (batch) => batches.push(LiveUsersBatch.parse(batch)));
      const ack = await new Promise<LiveSubscribeResult>((resolve) =>
        socket.emit('subscribe', { runId }, (result) => resolve(LiveSubscribeResult.parse(result))),
      );
      expect(ack.ok).toBe(true);
    }
    const seen = (name: string) =>
      new Set(received.get(name)!.flatMap((batch) => batch.users.map((user) => user.id)));
    // the live consumer starts at the latest offset: sent again until every client has every user
    await waitFor(
      async () => {
        await producer.send({
          topic: config.kafka.topics.processedUsers,
          acks: -1,
          messages: people.map((user) => ({ key: user.id, value: JSON.stringify(user) })),
        });
        await sleep(500);
        return Object.keys(sockets).every((name) => seen(name).size === people.length) ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'every live client to receive the users' },
    );
    const expected = new Map(people.map((user) => [user.id, user]));
    for (const name of ['viewer', 'operator', 'admin']) {
      const batches = received.get(name)!;
      expect([name, batches.every((batch) => batch.masked)]).toEqual([name, true]);
      for (const user of batches.flatMap((batch) => batch.users)) {
        expect(user).toEqual(maskStoredUser(expected.get(user.id)!));
      }
      expect([name, leaks(batches)]).toEqual([name, []]);
    }
    const clear = received.get('adminUnmasked')!;
    expect(clear.every((batch) => !batch.masked)).toBe(true);
    for (const user of clear.flatMap((batch) => batch.users)) {
      expect(user).toEqual(expected.get(user.id));
    }

    // once per connection, not per record: the admin's unmasked connection; the refused ones under their names
    const adminEntries = await auditOf('admin', 'WS');
    expect(adminEntries).toHaveLength(1);
    expect(adminEntries[0]).toMatchObject({
      route: LIVE_NAMESPACE,
      statusCode: 200,
      success: true,
      role: 'admin',
    });
    expect(adminEntries[0]!.target).toEqual({ query: { [LIVE_UNMASKED_PARAM]: 'true' } });
    for (const role of MASKED_ROLES) {
      expect((await auditOf(role, 'WS')).map((entry) => [entry.statusCode, entry.success])).toEqual([
        [403, false],
      ]);
    }
  });
});
