import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Reader, int16, int32, string16 } from '../src/bytes.mjs';
import {
  OPCODE,
  cqlQuery,
  decodeHeader,
  decodeResult,
  encodeFrame,
  encodeQuery,
  encodeStartup,
  probeCassandra,
  skipEnvelope,
} from '../src/cql.mjs';
import { fakeServer } from './helpers.mjs';

test('request frames carry version 4, stream, opcode and body length', () => {
  const frame = encodeFrame({ stream: 3, opcode: OPCODE.QUERY, body: Buffer.from('ab') });
  assert.deepEqual(frame, Buffer.from([0x04, 0, 0, 3, 0x07, 0, 0, 0, 2, 0x61, 0x62]));
  assert.deepEqual(decodeHeader(frame), { version: 4, flags: 0, stream: 3, opcode: 7, length: 2 });
});

test('STARTUP body is a string map with CQL_VERSION 3.0.0', () => {
  const expected = Buffer.concat([int16(1), string16('CQL_VERSION'), string16('3.0.0')]);
  assert.deepEqual(encodeStartup(), expected);
});

test('QUERY body: long string, consistency ONE, no flags', () => {
  assert.deepEqual(
    encodeQuery('SELECT 1'),
    Buffer.concat([int32(8), Buffer.from('SELECT 1'), int16(1), Buffer.from([0])]),
  );
});

const bytesValue = (text) =>
  text === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(text)), Buffer.from(text)]);

function rowsResult(columns, rows) {
  const spec = columns.map(([name, type]) => Buffer.concat([string16(name), int16(type)]));
  const cells = rows
    .flat()
    .map((v) => (typeof v === 'number' ? Buffer.concat([int32(4), int32(v)]) : bytesValue(v)));
  return Buffer.concat([
    int32(2), // Rows
    int32(0x0001), // global table spec
    int32(columns.length),
    string16('system'),
    string16('local'),
    ...spec,
    int32(rows.length),
    ...cells,
  ]);
}

test('Rows results decode text, int and null cells by column name', () => {
  const body = rowsResult(
    [
      ['release_version', 0x000d],
      ['n', 0x0009],
    ],
    [
      ['5.0.6', 42],
      [null, 7],
    ],
  );
  assert.deepEqual(decodeResult(new Reader(body)).rows, [
    { release_version: '5.0.6', n: 42 },
    { release_version: null, n: 7 },
  ]);
});

test('Rows results with per-column table specs and a map column', () => {
  const body = Buffer.concat([
    int32(2),
    int32(0),
    int32(1),
    string16('ks'),
    string16('t'),
    string16('m'),
    int16(0x0021),
    int16(0x000d),
    int16(0x0009), // map<text, int>
    int32(1),
    bytesValue('raw'),
  ]);
  assert.deepEqual(decodeResult(new Reader(body)).rows, [{ m: Buffer.from('raw') }]);
});

test('skipEnvelope steps over tracing id and warnings', () => {
  const body = Buffer.concat([Buffer.alloc(16, 9), int16(2), string16('w1'), string16('w2'), int32(1)]);
  const reader = new Reader(body);
  skipEnvelope(reader, 0x02 | 0x08);
  assert.equal(reader.int32(), 1);
});

function response(stream, opcode, body, flags = 0) {
  const header = Buffer.from([0x84, flags, 0, 0, opcode, 0, 0, 0, 0]);
  header.writeInt16BE(stream, 2);
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

/** A fake node: READY to STARTUP, then `answer(query)` as the QUERY response. */
function fakeNode(answer) {
  return fakeServer(async (conn) => {
    for (;;) {
      const header = decodeHeader(await conn.read(9));
      const body = await conn.read(header.length);
      if (header.opcode === OPCODE.STARTUP)
        conn.write(response(header.stream, OPCODE.READY, Buffer.alloc(0)));
      else
        conn.write(
          answer(
            header.stream,
            new Reader(body)
              .bytes(body.readInt32BE(0) + 4)
              .subarray(4)
              .toString(),
          ),
        );
    }
  });
}

test('probeCassandra runs STARTUP and a query over TCP', async () => {
  let asked;
  const server = await fakeNode((stream, cql) => {
    asked = cql;
    return response(stream, OPCODE.RESULT, rowsResult([['release_version', 0x000d]], [['5.0.6']]));
  });
  try {
    assert.deepEqual(await probeCassandra({ port: server.port }), { releaseVersion: '5.0.6' });
    assert.equal(asked, 'SELECT release_version FROM system.local');
  } finally {
    await server.close();
  }
});

test('cqlQuery surfaces ERROR frames', async () => {
  const error = Buffer.concat([int32(0x2200), string16('unconfigured table nope')]);
  const server = await fakeNode((stream) => response(stream, OPCODE.ERROR, error));
  try {
    await assert.rejects(
      cqlQuery({ port: server.port }, 'SELECT * FROM nope'),
      /CQL error 0x2200: unconfigured table nope/,
    );
  } finally {
    await server.close();
  }
});
