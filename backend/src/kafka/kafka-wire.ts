import { connect } from 'node:net';

/**
 * The bits of the Kafka wire protocol needed for the few requests kafkajs 2.2.4 cannot make (or cannot make
 * without failing on an unhealthy cluster): big-endian primitives, a reader for responses, and one
 * request/response round trip over a plain TCP connection. Only the non-"flexible" encodings, and only
 * PLAINTEXT listeners, which is what userstream configures (no TLS/SASL settings exist).
 */

export const int16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
};

export const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};

export const string16 = (value: string) => {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
};

/** The whole frame, size prefix included: request header v1 (key, version, correlation id, client id), then the body. */
export function requestFrame(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string,
  body: Buffer,
): Buffer {
  const payload = Buffer.concat([
    int16(apiKey),
    int16(apiVersion),
    int32(correlationId),
    string16(clientId),
    body,
  ]);
  return Buffer.concat([int32(payload.length), payload]);
}

export class Reader {
  private position = 0;
  constructor(private readonly buffer: Buffer) {}

  int16(): number {
    const value = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return value;
  }
  int64(): number {
    const value = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return Number(value);
  }
  boolean(): boolean {
    const value = this.buffer.readInt8(this.position);
    this.position += 1;
    return value !== 0;
  }
  /** A null string (length -1) reads as null. */
  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) {
      return null;
    }
    const value = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return value;
  }
  string(): string {
    return this.nullableString() ?? '';
  }
  array<T>(item: () => T): T[] {
    const count = this.int32();
    return Array.from({ length: Math.max(count, 0) }, item);
  }
}

/**
 * Sends one frame to a broker and resolves with the response frame without its size prefix; rejects on timeout,
 * a refused or closed connection. `what` names the request in errors.
 */
export function roundTrip(
  broker: { host: string; port: number },
  frame: Buffer,
  { timeoutMs, what }: { timeoutMs: number; what: string },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: broker.host, port: broker.port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`${what}: no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('close', () => fail(new Error(`${what}: connection closed by the broker`)));
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) {
        return;
      }
      socket.removeAllListeners('close');
      socket.destroy();
      resolve(received.subarray(4, 4 + received.readInt32BE(0)));
    });
  });
}
