import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Reader, int16, int32, int8, string16 } from '../src/bytes.mjs';
import {
  decodeApiVersionsResponse,
  decodeMetadataResponse,
  encodeApiVersionsRequest,
  encodeMetadataRequest,
  probeKafka,
} from '../src/kafka-protocol.mjs';
import { fakeServer } from './helpers.mjs';

test('ApiVersions v0 request: size, api key 18, version 0, correlation id, client id', () => {
  const expected = Buffer.from([0, 0, 0, 11, 0, 18, 0, 0, 0, 0, 0, 7, 0, 1, 0x63]);
  assert.deepEqual(encodeApiVersionsRequest(7, 'c'), expected);
});

function apiVersionsResponse(correlationId, errorCode, apis) {
  return Buffer.concat([
    int32(correlationId),
    int16(errorCode),
    int32(apis.length),
    ...apis.flat().map(int16),
  ]);
}

test('ApiVersions response decodes into a map of version ranges', () => {
  const decoded = decodeApiVersionsResponse(
    apiVersionsResponse(7, 0, [
      [3, 0, 13],
      [18, 0, 4],
    ]),
  );
  assert.equal(decoded.correlationId, 7);
  assert.equal(decoded.errorCode, 0);
  assert.deepEqual(decoded.apis.get(3), { min: 0, max: 13 });
  assert.deepEqual(decoded.apis.get(18), { min: 0, max: 4 });
});

test('Metadata v4 request asks for no topics and no auto-creation', () => {
  const r = new Reader(encodeMetadataRequest(9, 'c'));
  assert.equal(r.int32(), r.remaining());
  assert.deepEqual([r.int16(), r.int16(), r.int32(), r.string16()], [3, 4, 9, 'c']);
  assert.deepEqual([r.int32(), r.int8(), r.remaining()], [0, 0, 0]);
});

function metadataResponse(correlationId, { brokers, clusterId, controllerId }) {
  const nullable = (s) => (s === null ? int16(-1) : string16(s));
  const brokerBytes = brokers.map((b) =>
    Buffer.concat([int32(b.nodeId), string16(b.host), int32(b.port), nullable(b.rack)]),
  );
  return Buffer.concat([
    int32(correlationId),
    int32(0),
    int32(brokers.length),
    ...brokerBytes,
    nullable(clusterId),
    int32(controllerId),
    int32(0),
  ]);
}

test('Metadata v4 response decodes brokers, cluster id and controller', () => {
  const meta = {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    clusterId: 'abc',
    controllerId: 1,
  };
  assert.deepEqual(decodeMetadataResponse(metadataResponse(5, meta)), { correlationId: 5, ...meta });
});

/** A fake broker answering ApiVersions then Metadata, checking the requests it gets. */
function fakeBroker(
  meta,
  apis = [
    [3, 0, 12],
    [18, 0, 4],
  ],
) {
  return fakeServer(async (conn) => {
    for (;;) {
      const req = new Reader(await conn.read((await conn.read(4)).readInt32BE(0)));
      const [apiKey, , correlationId] = [req.int16(), req.int16(), req.int32()];
      const body =
        apiKey === 18 ? apiVersionsResponse(correlationId, 0, apis) : metadataResponse(correlationId, meta);
      conn.write(Buffer.concat([int32(body.length), body]));
    }
  });
}

test('probeKafka talks to a broker over TCP', async () => {
  const meta = {
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    clusterId: 'cid',
    controllerId: 1,
  };
  const server = await fakeBroker(meta);
  try {
    const result = await probeKafka({ port: server.port });
    assert.deepEqual(result.brokers, meta.brokers);
    assert.equal(result.clusterId, 'cid');
    assert.equal(result.apiCount, 2);
  } finally {
    await server.close();
  }
});

test('probeKafka refuses a broker without Metadata v4', async () => {
  const server = await fakeBroker({ brokers: [], clusterId: null, controllerId: -1 }, [
    [3, 5, 12],
    [18, 0, 4],
  ]);
  try {
    await assert.rejects(probeKafka({ port: server.port }), /does not support Metadata v4/);
  } finally {
    await server.close();
  }
});

test('probeKafka times out on a port that accepts but never answers', async () => {
  const server = await fakeServer(() => new Promise(() => {}));
  try {
    await assert.rejects(probeKafka({ port: server.port, timeoutMs: 200 }), /no answer .* within 200 ms/);
  } finally {
    await server.close();
  }
});

test('probeKafka rejects when nothing listens', async () => {
  const server = await fakeServer(async () => {});
  const { port } = server;
  await server.close();
  await assert.rejects(probeKafka({ port, timeoutMs: 500 }), /ECONNREFUSED/);
});

test('int8 helper writes a signed byte', () => {
  assert.deepEqual(int8(-1), Buffer.from([0xff]));
});
