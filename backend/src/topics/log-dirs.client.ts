import { connect } from 'node:net';

/**
 * Partition sizes on disk, which kafkajs 2.2.4 cannot ask for: it has no DescribeLogDirs (API key 35).
 * This speaks just that request, version 1 (the oldest Kafka 4 still serves, and the newest without the
 * "flexible" encoding), over a plain TCP connection to one broker. Used by TopicsRepository only; it only
 * works for PLAINTEXT listeners, which is what userstream configures (no TLS/SASL settings exist).
 */

const API_KEY = 35;
const API_VERSION = 1;

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface PartitionSize {
  topic: string;
  partition: number;
  sizeBytes: number;
}

export interface LogDirResult {
  errorCode: number;
  logDir: string;
  partitions: (PartitionSize & { isFuture: boolean })[];
}

const int16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
};
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const string16 = (value: string) => {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
};

/** The whole frame, size prefix included. `null` topics asks for every partition the broker holds. */
export function encodeDescribeLogDirsRequest(
  correlationId: number,
  clientId: string,
  topics: TopicPartitions[] | null,
): Buffer {
  const body =
    topics === null
      ? int32(-1)
      : Buffer.concat([
          int32(topics.length),
          ...topics.flatMap(({ topic, partitions }) => [
            string16(topic),
            int32(partitions.length),
            ...partitions.map(int32),
          ]),
        ]);
  const payload = Buffer.concat([
    int16(API_KEY),
    int16(API_VERSION),
    int32(correlationId),
    string16(clientId),
    body,
  ]);
  return Buffer.concat([int32(payload.length), payload]);
}

class Reader {
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
  string(): string {
    const length = this.int16();
    if (length < 0) return '';
    const value = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return value;
  }
  array<T>(item: () => T): T[] {
    const count = this.int32();
    return Array.from({ length: Math.max(count, 0) }, item);
  }
}

/** `payload` is the response frame without its size prefix. */
export function decodeDescribeLogDirsResponse(payload: Buffer): {
  correlationId: number;
  results: LogDirResult[];
} {
  const reader = new Reader(payload);
  const correlationId = reader.int32();
  reader.int32(); // throttle_time_ms
  const results = reader.array(() => {
    const errorCode = reader.int16();
    const logDir = reader.string();
    const partitions = reader.array(() => {
      const topic = reader.string();
      return reader.array(() => {
        const partition = reader.int32();
        const sizeBytes = reader.int64();
        reader.int64(); // offset_lag (future replicas only)
        return { topic, partition, sizeBytes, isFuture: reader.boolean() };
      });
    });
    return { errorCode, logDir, partitions: partitions.flat() };
  });
  return { correlationId, results };
}

/** One request/response round trip with a broker; rejects on timeout, a closed connection or a broker error. */
export function describeLogDirs(
  broker: { host: string; port: number },
  topics: TopicPartitions[],
  { clientId, timeoutMs }: { clientId: string; timeoutMs: number },
): Promise<PartitionSize[]> {
  const correlationId = 1;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: broker.host, port: broker.port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`DescribeLogDirs: no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('DescribeLogDirs: connection closed by the broker')));
    socket.on('connect', () => socket.write(encodeDescribeLogDirsRequest(correlationId, clientId, topics)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.removeAllListeners('close');
      socket.destroy();
      try {
        const response = decodeDescribeLogDirsResponse(received.subarray(4, 4 + received.readInt32BE(0)));
        if (response.correlationId !== correlationId)
          throw new Error('DescribeLogDirs: correlation id mismatch');
        const failed = response.results.find((result) => result.errorCode !== 0);
        if (failed) throw new Error(`DescribeLogDirs: error code ${failed.errorCode} for ${failed.logDir}`);
        resolve(
          response.results.flatMap((result) =>
            result.partitions
              .filter((partition) => !partition.isFuture)
              .map(({ topic, partition, sizeBytes }) => ({ topic, partition, sizeBytes })),
          ),
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
