// Just enough of the Kafka wire protocol to tell a live broker from an open port:
// ApiVersions v0 (every broker answers it, even before version negotiation) and
// Metadata v4 (shows the broker registered and a controller elected).
// Both use the non-flexible request header v1 and response header v0.
import { Reader, int8, int16, int32, string16 } from './bytes.mjs';
import { withConnection } from './net.mjs';

export const API_METADATA = 3;
export const API_VERSIONS = 18;
const METADATA_VERSION = 4;

function request(apiKey, apiVersion, correlationId, clientId, body = Buffer.alloc(0)) {
  const payload = Buffer.concat([
    int16(apiKey),
    int16(apiVersion),
    int32(correlationId),
    string16(clientId),
    body,
  ]);
  return Buffer.concat([int32(payload.length), payload]);
}

export function encodeApiVersionsRequest(correlationId, clientId = 'userstream-stack') {
  return request(API_VERSIONS, 0, correlationId, clientId);
}

/** `payload` is the response without its int32 size prefix. */
export function decodeApiVersionsResponse(payload) {
  const r = new Reader(payload);
  const correlationId = r.int32();
  const errorCode = r.int16();
  const apis = new Map();
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    const key = r.int16();
    apis.set(key, { min: r.int16(), max: r.int16() });
  }
  return { correlationId, errorCode, apis };
}

export function encodeMetadataRequest(correlationId, clientId = 'userstream-stack') {
  // v1+: an empty topic array asks for no topics (null would mean all of them).
  const body = Buffer.concat([int32(0), int8(0) /* allow_auto_topic_creation */]);
  return request(API_METADATA, METADATA_VERSION, correlationId, clientId, body);
}

export function decodeMetadataResponse(payload) {
  const r = new Reader(payload);
  const correlationId = r.int32();
  r.int32(); // throttle_time_ms
  const brokers = [];
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    brokers.push({ nodeId: r.int32(), host: r.string16(), port: r.int32(), rack: r.string16() });
  }
  const clusterId = r.string16();
  const controllerId = r.int32();
  return { correlationId, brokers, clusterId, controllerId };
}

async function roundTrip(connection, buffer) {
  connection.write(buffer);
  const size = (await connection.read(4)).readInt32BE(0);
  return connection.read(size);
}

/**
 * Asks the broker at host:port for its API versions and cluster metadata.
 * Resolves with { brokers, clusterId, controllerId, apiCount } or rejects.
 */
export function probeKafka({ host = '127.0.0.1', port = 9092, timeoutMs = 3000 } = {}) {
  return withConnection({ host, port, timeoutMs }, async (connection) => {
    const versions = decodeApiVersionsResponse(await roundTrip(connection, encodeApiVersionsRequest(1)));
    if (versions.correlationId !== 1) throw new Error('ApiVersions: correlation id mismatch');
    if (versions.errorCode !== 0) throw new Error(`ApiVersions: error code ${versions.errorCode}`);
    const range = versions.apis.get(API_METADATA);
    if (!range || range.min > METADATA_VERSION || range.max < METADATA_VERSION) {
      throw new Error(`broker does not support Metadata v${METADATA_VERSION}`);
    }
    const metadata = decodeMetadataResponse(await roundTrip(connection, encodeMetadataRequest(2)));
    if (metadata.correlationId !== 2) throw new Error('Metadata: correlation id mismatch');
    return { ...metadata, apiCount: versions.apis.size };
  });
}
