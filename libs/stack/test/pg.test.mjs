import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Reader, cstring, int16, int32 } from '../src/bytes.mjs';
import {
  encodeQuery,
  encodeStartup,
  md5Password,
  parseDataRow,
  parseDatabaseUrl,
  parseFields,
  pgSession,
  quoteIdentifier,
  quoteLiteral,
  scramClientFinal,
  scramClientFirst,
} from '../src/pg.mjs';
import { checkServer } from '../src/postgres.mjs';
import { fakeServer } from './helpers.mjs';

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

test('StartupMessage: length, protocol 3.0, user and database pairs, final NUL', () => {
  const msg = encodeStartup({ user: 'postgres', database: 'postgres' });
  const r = new Reader(msg);
  assert.equal(r.int32(), msg.length);
  assert.equal(r.int32(), 196608);
  assert.deepEqual(
    [r.cstring(), r.cstring(), r.cstring(), r.cstring()],
    ['user', 'postgres', 'database', 'postgres'],
  );
  assert.equal(r.int8(), 0);
  assert.equal(r.remaining(), 0);
});

test('Query message: type Q, length, NUL-terminated SQL', () => {
  assert.deepEqual(
    encodeQuery('SELECT 1'),
    Buffer.concat([Buffer.from('Q'), int32(13), Buffer.from('SELECT 1\0')]),
  );
});

test('md5 password matches an independent computation', () => {
  // python3: 'md5' + md5(md5(b's3cretuserstream').hexdigest().encode() + b'\x01\x02\x03\x04').hexdigest()
  assert.equal(
    md5Password('userstream', 's3cret', Buffer.from([1, 2, 3, 4])),
    'md5ddf24dd9db30c3b3f453da0916804da0',
  );
});

test('SCRAM-SHA-256 follows the RFC 7677 test vector', () => {
  const nonce = 'rOprNGfwEbeRWgbNEkqO';
  assert.equal(scramClientFirst(nonce).message, `n,,n=,r=${nonce}`);
  const final = scramClientFinal({
    password: 'pencil',
    clientFirstBare: `n=user,r=${nonce}`, // the RFC names its user; PostgreSQL clients leave it empty
    serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  });
  assert.equal(
    final.message,
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  );
  assert.equal(final.serverSignature, '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
});

test('ErrorResponse fields and DataRow values decode', () => {
  const fields = Buffer.concat([
    Buffer.from('S'),
    cstring('FATAL'),
    Buffer.from('C'),
    cstring('3D000'),
    Buffer.from('M'),
    cstring('no db'),
    Buffer.from([0]),
  ]);
  assert.deepEqual(parseFields(fields), { S: 'FATAL', C: '3D000', M: 'no db' });
  const row = Buffer.concat([int16(2), int32(1), Buffer.from('1'), int32(-1)]);
  assert.deepEqual(parseDataRow(row), ['1', null]);
});

test('identifiers and literals are quoted for the simple query protocol', () => {
  assert.equal(quoteLiteral("it's"), "'it''s'");
  assert.equal(quoteIdentifier('we"ird'), '"we""ird"');
});

const msg = (type, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
};
const readyForQuery = () => msg('Z', Buffer.from('I'));

/** A fake server asking for an md5 password, then answering each query with one row. */
function fakePostgres({ password }) {
  const salt = Buffer.from([9, 8, 7, 6]);
  const seen = { queries: [] };
  const start = fakeServer(async (conn) => {
    const startup = new Reader(await conn.read((await conn.read(4)).readInt32BE(0) - 4));
    startup.int32();
    const params = {};
    for (let k = startup.cstring(); k; k = startup.cstring()) params[k] = startup.cstring();
    seen.startup = params;
    conn.write(msg('R', int32(5), salt));
    const reply = await conn.read(5);
    const sent = (await conn.read(reply.readInt32BE(1) - 4)).subarray(0, -1).toString();
    if (sent !== md5Password(params.user, password, salt)) {
      conn.write(
        msg(
          'E',
          Buffer.from('C'),
          cstring('28P01'),
          Buffer.from('M'),
          cstring('password authentication failed'),
          Buffer.from([0]),
        ),
      );
      return;
    }
    conn.write(
      Buffer.concat([
        msg('R', int32(0)),
        msg('S', cstring('server_version'), cstring('16')),
        readyForQuery(),
      ]),
    );
    for (;;) {
      const header = await conn.read(5);
      if (header[0] === 'X'.charCodeAt(0)) return;
      seen.queries.push((await conn.read(header.readInt32BE(1) - 4)).subarray(0, -1).toString());
      const row = msg('D', int16(1), int32(1), Buffer.from('1'));
      conn.write(Buffer.concat([msg('T', int16(0)), row, msg('C', cstring('SELECT 1')), readyForQuery()]));
    }
  });
  return start.then((server) => ({ ...server, seen }));
}

test('pgSession authenticates with md5 and runs simple queries', async () => {
  const server = await fakePostgres({ password: 'pw' });
  try {
    const rows = await pgSession(
      { host: '127.0.0.1', port: server.port, user: 'app', password: 'pw', database: 'postgres' },
      (c) => c.query('SELECT 1'),
    );
    assert.deepEqual(rows, [['1']]);
    assert.deepEqual(server.seen.startup, { user: 'app', database: 'postgres' });
    assert.deepEqual(server.seen.queries, ['SELECT 1']);
  } finally {
    await server.close();
  }
});

test('pgSession reports a wrong password with its SQLSTATE', async () => {
  const server = await fakePostgres({ password: 'pw' });
  try {
    await assert.rejects(
      pgSession(
        { host: '127.0.0.1', port: server.port, user: 'app', password: 'nope', database: 'postgres' },
        () => {},
      ),
      (err) => err.code === '28P01' && /password authentication failed/.test(err.message),
    );
    await assert.rejects(
      pgSession({ host: '127.0.0.1', port: server.port, user: 'app', database: 'postgres' }, () => {}),
      /asks for a password and the URL has none/,
    );
  } finally {
    await server.close();
  }
});

test('checkServer: a server that accepts but never answers a login is named as such, not as another protocol', async () => {
  const silent = await fakeServer(() => new Promise(() => undefined));
  try {
    await assert.rejects(
      checkServer({ host: '127.0.0.1', port: silent.port, user: 'postgres', timeoutMs: 200 }),
      /accepts connections but did not answer a login: no answer .* within 200 ms/,
    );
  } finally {
    await silent.close();
  }
});
