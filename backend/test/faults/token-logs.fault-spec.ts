import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { io } from 'socket.io-client';
import { CreatedToken, LIVE_NAMESPACE } from '@userstream/contracts';
import { type BackendProcess, startBackend } from '../processes.js';

const PORT = '3132';
const URL = `http://127.0.0.1:${PORT}`;

/** Secrets travel in headers, query strings and socket handshakes; the logs must never show one. */
describe('security: tokens never reach the logs', () => {
  let backend: BackendProcess;
  const admin = `fault-logs-admin-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    backend = await startBackend(
      { APP_ROLE: 'api', PORT, AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: admin, LOG_LEVEL: 'debug' },
      /userstream api on http/,
    );
  });

  afterAll(async () => {
    await backend?.kill('SIGTERM');
  });

  it('logs requests, refusals and handshakes without any token in them', async () => {
    const http = () => request(URL);
    const created = CreatedToken.parse(
      (
        await http()
          .post('/api/auth/tokens')
          .set('authorization', `Bearer ${admin}`)
          .send({ name: 'fault-logs-viewer', role: 'viewer' })
          .expect(201)
      ).body,
    );
    await http().get('/api/auth/me').set('authorization', `Bearer ${created.token}`).expect(200);
    await http()
      .post('/api/ingestion/runs')
      .set('authorization', `Bearer ${created.token}`)
      .send({})
      .expect(403);
    await http().get(`/api/users?access_token=${created.token}`).expect(401);
    const forged = `us_${randomBytes(32).toString('base64url')}`;
    await http().get('/api/auth/me').set('authorization', `Bearer ${forged}`).expect(401);
    await http().delete(`/api/auth/tokens/${created.id}`).set('authorization', `Bearer ${admin}`).expect(200);
    await http().get('/api/auth/me').set('authorization', `Bearer ${created.token}`).expect(401);
    for (const token of [created.token, forged]) {
      const socket = io(`${URL}${LIVE_NAMESPACE}`, {
        query: { access_token: token },
        transports: ['websocket'],
      });
      await new Promise<void>((resolve) => {
        socket.on('connect_error', () => resolve());
        socket.on('disconnect', () => resolve());
        setTimeout(resolve, 3_000);
      });
      socket.close();
    }
    await sleep(500); // let the log lines flush

    const logs = backend.output();
    // the requests were logged, with their secrets censored rather than left out of the logs altogether
    expect(logs).toContain('"url":"/api/auth/me"');
    expect(logs).toContain('"authorization":"[Redacted]"');
    for (const secret of [admin, created.token, forged]) {
      expect(logs).not.toContain(secret);
    }
  });
});
