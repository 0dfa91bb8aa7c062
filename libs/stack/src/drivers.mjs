// Readiness checks through the clients the product itself uses: kafkajs, cassandra-driver and pg. Each is
// imported only when a check runs, so the CLI starts, prints its help and runs `npm ci` before node_modules exists.
import { createRequire } from 'node:module';
import { closeOnceSettled, NoAnswer, withTimeout } from './wait.mjs';

const DRIVERS = ['kafkajs', 'cassandra-driver', 'pg'];

/** Whether node_modules lacks one of the drivers (a fresh checkout). */
export function driversMissing() {
  const require = createRequire(import.meta.url);
  return DRIVERS.some((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** The server wants a password, or a kind of authentication, that the URL cannot provide. */
export class PgAuthUnsupported extends Error {}

const noAnswer = ({ host, port, timeoutMs }) => ({
  timeoutMs,
  message: `no answer from ${host}:${port} within ${timeoutMs} ms`,
});

/**
 * The cluster as the broker at host:port describes it (kafkajs admin, no retries):
 * { brokers: [{ nodeId, host, port }], clusterId, controller }, `controller` null while none is elected.
 */
export async function probeKafka({ host = '127.0.0.1', port = 9092, timeoutMs = 3000 } = {}) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({
    clientId: 'userstream-stack',
    brokers: [`${host}:${port}`],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const work = (async () => {
    await admin.connect();
    return admin.describeCluster();
  })();
  try {
    return await withTimeout(() => work, noAnswer({ host, port, timeoutMs }));
  } finally {
    await closeOnceSettled(work, () => admin.disconnect(), timeoutMs);
  }
}

/**
 * Cassandra's release_version once the node at host:port answers CQL (cassandra-driver, bound to that node
 * alone); with `peers`, also how many peers it knows: { releaseVersion, peers? }.
 */
export async function probeCassandra({
  host = '127.0.0.1',
  port = 9042,
  timeoutMs = 3000,
  peers = false,
} = {}) {
  const { Client, policies } = (await import('cassandra-driver')).default;
  const address = `${host}:${port}`;
  const { AllowListPolicy, RoundRobinPolicy } = policies.loadBalancing;
  const client = new Client({
    contactPoints: [address],
    policies: { loadBalancing: new AllowListPolicy(new RoundRobinPolicy(), [address]) },
    socketOptions: { connectTimeout: timeoutMs, readTimeout: timeoutMs },
    // no keep-alive requests: a connection the server dropped mid-handshake would otherwise keep sending them,
    // and keep the process alive, long after shutdown()
    pooling: { heartBeatInterval: 0 },
    isMetadataSyncEnabled: false,
  });
  const rows = async (cql) => (await client.execute(cql)).rows;
  const work = (async () => {
    const local = await rows('SELECT release_version FROM system.local');
    if (local.length !== 1) {
      throw new Error('system.local returned no row');
    }
    const releaseVersion = local[0].release_version;
    if (!peers) {
      return { releaseVersion };
    }
    return { releaseVersion, peers: (await rows('SELECT host_id FROM system.peers_v2')).length };
  })();
  try {
    return await withTimeout(() => work, noAnswer({ host, port, timeoutMs }));
  } catch (error) {
    // "All host(s) tried for query failed ...": the one host's own reason says it better
    const reason = Object.values(error.innerErrors ?? {})[0];
    throw reason instanceof Error ? reason : error;
  } finally {
    // cassandra-driver's shutdown() does nothing while the client is still connecting
    await closeOnceSettled(work, () => client.shutdown(), timeoutMs);
  }
}

/**
 * Connects with pg, runs `dialog(client)` and always closes the connection; the whole session is bounded by
 * `timeoutMs`. A server SQL error keeps its SQLSTATE in `code`.
 */
export async function pgSession(
  // generous: a busy machine (JVMs starting, a build) can keep a healthy server from answering for seconds
  { host, port, user, password, database, timeoutMs = 30_000 },
  dialog,
) {
  const { Client } = (await import('pg')).default;
  const client = new Client({
    host,
    port,
    user,
    database,
    // asked for only when the server wants one: never from PGPASSWORD or ~/.pgpass, as the URL says it all
    password:
      password ??
      (() => {
        throw new PgAuthUnsupported('the server asks for a password and the URL has none');
      }),
  });
  // a connection lost between calls rejects the call in flight; nothing else is to be done with it
  client.on('error', () => undefined);
  const work = (async () => {
    await client.connect();
    return dialog(client);
  })();
  try {
    return await withTimeout(() => work, noAnswer({ host, port, timeoutMs }));
  } catch (error) {
    // end() says goodbye and waits for the server to hang up: one that never answered gets its socket closed
    if (error instanceof NoAnswer) {
      client.connection.stream.destroy();
    }
    throw error;
  } finally {
    await closeOnceSettled(work, () => client.end(), timeoutMs);
  }
}
