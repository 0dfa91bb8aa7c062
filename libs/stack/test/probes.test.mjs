import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { pgSession, probeCassandra, probeKafka } from '../src/drivers.mjs';
import { checkServer, parseDatabaseUrl } from '../src/postgres.mjs';

/** A server on 127.0.0.1 that accepts connections and never answers, as a JVM still starting can. */
async function silentServer() {
  const sockets = new Set();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    return new Promise((resolve) => server.close(resolve));
  };
  return { port: server.address().port, close };
}

/** A port on 127.0.0.1 where nothing listens (any more). */
async function closedPort() {
  const { port, close } = await silentServer();
  await close();
  return port;
}

const probes = {
  kafka: (port, timeoutMs) => probeKafka({ port, timeoutMs }),
  cassandra: (port, timeoutMs) => probeCassandra({ port, timeoutMs }),
  postgres: (port, timeoutMs) =>
    pgSession({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', timeoutMs }, (client) =>
      client.query('SELECT 1'),
    ),
};

for (const [name, probe] of Object.entries(probes)) {
  test(`${name}: the probe says the connection was refused when nothing listens`, async () => {
    const port = await closedPort();
    await assert.rejects(probe(port, 2000), new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  });

  test(`${name}: the probe gives up on a port that accepts but never answers`, async () => {
    const server = await silentServer();
    try {
      await assert.rejects(
        probe(server.port, 200),
        new RegExp(`no answer from 127\\.0\\.0\\.1:${server.port} within 200 ms`),
      );
    } finally {
      await server.close();
    }
  });
}

test('checkServer: nothing listening is "down"', async () => {
  const port = await closedPort();
  assert.deepEqual(await checkServer({ host: '127.0.0.1', port, user: 'postgres' }), { state: 'down' });
});

test('checkServer: a server that accepts but never answers a login is named as such, not as another protocol', async () => {
  const silent = await silentServer();
  try {
    await assert.rejects(
      checkServer({ host: '127.0.0.1', port: silent.port, user: 'postgres', timeoutMs: 200 }),
      /accepts connections but did not answer a login: no answer .* within 200 ms/,
    );
  } finally {
    await silent.close();
  }
});

test('parseDatabaseUrl fills the defaults and decodes escapes', () => {
  assert.deepEqual(parseDatabaseUrl('postgres://postgres@127.0.0.1:5432/userstream'), {
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    password: undefined,
    database: 'userstream',
  });
  assert.deepEqual(parseDatabaseUrl('postgresql://u%40x:p%2Fw@127.0.0.1/db'), {
    host: '127.0.0.1',
    port: 5432,
    user: 'u@x',
    password: 'p/w',
    database: 'db',
  });
  assert.throws(() => parseDatabaseUrl('mysql://x@127.0.0.1/db'), /not a postgres/);
});
