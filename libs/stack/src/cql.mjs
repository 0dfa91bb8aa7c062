// Minimal client for the CQL native protocol v4: STARTUP then one QUERY, no
// compression, no auth, no paging. Enough to prove Cassandra serves queries.
import { Reader, int16, string16, string32 } from './bytes.mjs';
import { withConnection } from './net.mjs';

export const OPCODE = {
  ERROR: 0x00,
  STARTUP: 0x01,
  READY: 0x02,
  AUTHENTICATE: 0x03,
  QUERY: 0x07,
  RESULT: 0x08,
};
const REQUEST_VERSION = 0x04;
const HEADER_SIZE = 9;
const CONSISTENCY_ONE = 0x0001;
const RESULT_ROWS = 0x0002;
const FLAG_TRACING = 0x02;
const FLAG_CUSTOM_PAYLOAD = 0x04;
const FLAG_WARNING = 0x08;

export function encodeFrame({ stream = 0, opcode, body = Buffer.alloc(0) }) {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt8(REQUEST_VERSION, 0);
  header.writeUInt8(0, 1); // flags: no compression, no tracing
  header.writeInt16BE(stream, 2);
  header.writeUInt8(opcode, 4);
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

export function decodeHeader(header) {
  return {
    version: header.readUInt8(0),
    flags: header.readUInt8(1),
    stream: header.readInt16BE(2),
    opcode: header.readUInt8(4),
    length: header.readInt32BE(5),
  };
}

export function encodeStartup() {
  const options = { CQL_VERSION: '3.0.0' };
  const entries = Object.entries(options).flatMap(([k, v]) => [string16(k), string16(v)]);
  return Buffer.concat([int16(Object.keys(options).length), ...entries]);
}

export function encodeQuery(cql, consistency = CONSISTENCY_ONE) {
  return Buffer.concat([string32(cql), int16(consistency), Buffer.from([0]) /* query flags */]);
}

/** Skips what optional response flags put before the message proper. */
export function skipEnvelope(reader, flags) {
  if (flags & FLAG_TRACING) reader.bytes(16);
  if (flags & FLAG_WARNING) {
    const count = reader.uint16();
    for (let i = 0; i < count; i++) reader.string16();
  }
  if (flags & FLAG_CUSTOM_PAYLOAD) {
    const count = reader.uint16();
    for (let i = 0; i < count; i++) {
      reader.string16();
      const size = reader.int32();
      if (size > 0) reader.bytes(size);
    }
  }
}

export function decodeError(reader) {
  const code = reader.int32();
  return { code, message: reader.string16() };
}

/** Reads an [option] (a column type); returns its id, walking nested types. */
function readType(reader) {
  const id = reader.uint16();
  if (id === 0x0000)
    reader.string16(); // custom: class name
  else if (id === 0x0020 || id === 0x0022)
    readType(reader); // list, set
  else if (id === 0x0021) {
    readType(reader); // map key
    readType(reader); // map value
  } else if (id === 0x0030) {
    reader.string16(); // UDT keyspace
    reader.string16(); // UDT name
    const fields = reader.uint16();
    for (let i = 0; i < fields; i++) {
      reader.string16();
      readType(reader);
    }
  } else if (id === 0x0031) {
    const fields = reader.uint16();
    for (let i = 0; i < fields; i++) readType(reader);
  }
  return id;
}

function skipTableSpec(reader) {
  reader.string16(); // keyspace
  reader.string16(); // table
}

const TEXT_TYPES = new Set([0x0001 /* ascii */, 0x000d /* varchar */]);

function decodeValue(type, bytes) {
  if (bytes === null) return null;
  if (TEXT_TYPES.has(type)) return bytes.toString('utf8');
  if (type === 0x0009 /* int */) return bytes.readInt32BE(0);
  return bytes;
}

/** Decodes a RESULT body; Rows become objects keyed by column name. */
export function decodeResult(reader) {
  const kind = reader.int32();
  if (kind !== RESULT_ROWS) return { kind, rows: [] };
  const flags = reader.int32();
  const columnCount = reader.int32();
  if (flags & 0x0002) reader.bytes(Math.max(0, reader.int32())); // paging state
  const columns = [];
  if (!(flags & 0x0004)) {
    const globalSpec = Boolean(flags & 0x0001);
    if (globalSpec) skipTableSpec(reader);
    for (let i = 0; i < columnCount; i++) {
      if (!globalSpec) skipTableSpec(reader);
      columns.push({ name: reader.string16(), type: readType(reader) });
    }
  }
  const rowCount = reader.int32();
  const rows = [];
  for (let r = 0; r < rowCount; r++) {
    const row = {};
    for (let c = 0; c < columnCount; c++) {
      const size = reader.int32();
      const bytes = size < 0 ? null : reader.bytes(size);
      const column = columns[c] ?? { name: String(c), type: -1 };
      row[column.name] = decodeValue(column.type, bytes);
    }
    rows.push(row);
  }
  return { kind, rows };
}

async function exchange(connection, stream, opcode, body) {
  connection.write(encodeFrame({ stream, opcode, body }));
  const header = decodeHeader(await connection.read(HEADER_SIZE));
  const reader = new Reader(await connection.read(header.length));
  if (header.stream !== stream) throw new Error(`CQL: expected stream ${stream}, got ${header.stream}`);
  skipEnvelope(reader, header.flags);
  if (header.opcode === OPCODE.ERROR) {
    const { code, message } = decodeError(reader);
    throw new Error(`CQL error 0x${code.toString(16)}: ${message}`);
  }
  return { opcode: header.opcode, reader };
}

/** Runs one query on a fresh connection; resolves with the rows. */
export function cqlQuery({ host = '127.0.0.1', port = 9042, timeoutMs = 5000 }, cql) {
  return withConnection({ host, port, timeoutMs }, async (connection) => {
    const ready = await exchange(connection, 1, OPCODE.STARTUP, encodeStartup());
    if (ready.opcode === OPCODE.AUTHENTICATE) throw new Error('CQL: the server requires authentication');
    if (ready.opcode !== OPCODE.READY) throw new Error(`CQL: expected READY, got opcode ${ready.opcode}`);
    const result = await exchange(connection, 2, OPCODE.QUERY, encodeQuery(cql));
    if (result.opcode !== OPCODE.RESULT) throw new Error(`CQL: expected RESULT, got opcode ${result.opcode}`);
    return decodeResult(result.reader).rows;
  });
}

/** Resolves with Cassandra's release_version once it answers CQL; with `peers`, also how many peers it knows. */
export async function probeCassandra({ peers = false, ...options } = {}) {
  const rows = await cqlQuery(options, 'SELECT release_version FROM system.local');
  if (rows.length !== 1) throw new Error('system.local returned no row');
  const releaseVersion = rows[0].release_version;
  if (!peers) return { releaseVersion };
  return { releaseVersion, peers: (await cqlQuery(options, 'SELECT host_id FROM system.peers_v2')).length };
}
