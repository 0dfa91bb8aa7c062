// Minimal PostgreSQL frontend/backend protocol 3.0 client: startup, trust /
// cleartext / md5 / SCRAM-SHA-256 authentication and the simple query protocol.
// No TLS: it only talks to servers on this machine.
import crypto from 'node:crypto';
import { Reader, cstring, int32 } from './bytes.mjs';
import { withConnection } from './net.mjs';

const PROTOCOL_3_0 = 196608;
const AUTH = { OK: 0, CLEARTEXT: 3, MD5: 5, SASL: 10, SASL_CONTINUE: 11, SASL_FINAL: 12 };

/** An ErrorResponse from the server, with its SQLSTATE in `code`. */
export class PgServerError extends Error {
  constructor(fields) {
    super(fields.M ?? 'unknown server error');
    this.code = fields.C;
    this.severity = fields.S;
  }
}

/** The server wants a kind of authentication this client cannot provide. */
export class PgAuthUnsupported extends Error {}

export function parseDatabaseUrl(url) {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error(`not a postgres:// URL: ${url}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
}

function message(type, ...parts) {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(body.length + 4), body]);
}

export function encodeStartup({ user, database }) {
  const body = Buffer.concat([
    int32(PROTOCOL_3_0),
    cstring('user'),
    cstring(user),
    cstring('database'),
    cstring(database),
    Buffer.from([0]),
  ]);
  return Buffer.concat([int32(body.length + 4), body]);
}

export const encodeQuery = (sql) => message('Q', cstring(sql));
export const encodePassword = (password) => message('p', cstring(password));
export const encodeTerminate = () => message('X');

/** md5 auth: "md5" + md5(md5(password + user) + salt), hex. */
export function md5Password(user, password, salt) {
  const md5 = (data) => crypto.createHash('md5').update(data).digest('hex');
  return 'md5' + md5(Buffer.concat([Buffer.from(md5(password + user)), salt]));
}

export function parseFields(body) {
  const reader = new Reader(body);
  const fields = {};
  while (reader.remaining() > 0) {
    const code = reader.buffer[reader.offset++];
    if (code === 0) break;
    fields[String.fromCharCode(code)] = reader.cstring();
  }
  return fields;
}

export function parseDataRow(body) {
  const reader = new Reader(body);
  const count = reader.int16();
  const values = [];
  for (let i = 0; i < count; i++) {
    const size = reader.int32();
    values.push(size < 0 ? null : reader.bytes(size).toString('utf8'));
  }
  return values;
}

// SCRAM-SHA-256 (RFC 5802 / 7677) as PostgreSQL uses it: the user name is taken
// from the startup message, so the client sends an empty one; no channel binding.
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

export function scramClientFirst(nonce) {
  const bare = `n=,r=${nonce}`;
  return { bare, message: `n,,${bare}` };
}

export function scramClientFinal({ password, clientFirstBare, serverFirst }) {
  const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  const salted = crypto.pbkdf2Sync(password, Buffer.from(attrs.s, 'base64'), Number(attrs.i), 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${attrs.r}`; // biws = base64("n,,")
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
  return { message: `${withoutProof},p=${proof.toString('base64')}`, serverSignature, serverNonce: attrs.r };
}

async function readMessage(connection) {
  const header = await connection.read(5);
  const type = String.fromCharCode(header[0]);
  const body = await connection.read(header.readInt32BE(1) - 4);
  return { type, body };
}

/** Reads until ReadyForQuery; throws on ErrorResponse. Returns the messages seen. */
async function untilReady(connection, onMessage) {
  for (;;) {
    const msg = await readMessage(connection);
    if (msg.type === 'E') throw new PgServerError(parseFields(msg.body));
    if (msg.type === 'Z') return;
    onMessage?.(msg);
  }
}

async function scramAuthenticate(connection, password, mechanisms) {
  if (!mechanisms.includes('SCRAM-SHA-256')) {
    throw new PgAuthUnsupported(`unsupported SASL mechanisms: ${mechanisms.join(', ')}`);
  }
  const nonce = crypto.randomBytes(18).toString('base64');
  const first = scramClientFirst(nonce);
  const data = Buffer.from(first.message);
  connection.write(message('p', cstring('SCRAM-SHA-256'), int32(data.length), data));
  const cont = await expectAuth(connection, AUTH.SASL_CONTINUE);
  const serverFirst = cont.reader.bytes(cont.reader.remaining()).toString('utf8');
  const final = scramClientFinal({ password, clientFirstBare: first.bare, serverFirst });
  if (!final.serverNonce.startsWith(nonce)) throw new Error('SCRAM: server nonce does not extend ours');
  connection.write(message('p', Buffer.from(final.message)));
  const done = await expectAuth(connection, AUTH.SASL_FINAL);
  const serverFinal = done.reader.bytes(done.reader.remaining()).toString('utf8');
  if (serverFinal !== `v=${final.serverSignature}`) throw new Error('SCRAM: server signature mismatch');
  await expectAuth(connection, AUTH.OK);
}

async function expectAuth(connection, wanted) {
  const msg = await readMessage(connection);
  if (msg.type === 'E') throw new PgServerError(parseFields(msg.body));
  if (msg.type !== 'R') throw new Error(`expected an authentication message, got '${msg.type}'`);
  const reader = new Reader(msg.body);
  const code = reader.int32();
  if (wanted !== undefined && code !== wanted) throw new Error(`expected auth code ${wanted}, got ${code}`);
  return { code, reader };
}

async function authenticate(connection, { user, password }) {
  const { code, reader } = await expectAuth(connection);
  if (code === AUTH.OK) return;
  if (password === undefined)
    throw new PgAuthUnsupported('the server asks for a password and the URL has none');
  if (code === AUTH.CLEARTEXT) connection.write(encodePassword(password));
  else if (code === AUTH.MD5) connection.write(encodePassword(md5Password(user, password, reader.bytes(4))));
  else if (code === AUTH.SASL) {
    const mechanisms = [];
    for (let m = reader.cstring(); m; m = reader.cstring()) mechanisms.push(m);
    return scramAuthenticate(connection, password, mechanisms);
  } else throw new PgAuthUnsupported(`unsupported authentication method (code ${code})`);
  await expectAuth(connection, AUTH.OK);
}

/**
 * Connects, authenticates and runs `dialog(client)`, where
 * `client.query(sql)` resolves with the rows as arrays of strings (or null).
 */
export function pgSession(options, dialog) {
  // generous: a busy machine (JVMs starting, a build) can keep a healthy server from answering for seconds
  const { host, port, timeoutMs = 30_000 } = options;
  return withConnection({ host, port, timeoutMs }, async (connection) => {
    connection.write(encodeStartup(options));
    await authenticate(connection, options);
    await untilReady(connection);
    const client = {
      async query(sql) {
        connection.write(encodeQuery(sql));
        const rows = [];
        await untilReady(connection, (msg) => msg.type === 'D' && rows.push(parseDataRow(msg.body)));
        return rows;
      },
    };
    const result = await dialog(client);
    connection.write(encodeTerminate());
    return result;
  });
}

export const quoteLiteral = (text) => `'${text.replaceAll("'", "''")}'`;
export const quoteIdentifier = (text) => `"${text.replaceAll('"', '""')}"`;
