import { int32, Reader, requestFrame, roundTrip, string16 } from './kafka-wire.js';

/**
 * Partition sizes on disk, which kafkajs 2.2.4 cannot ask for: it has no DescribeLogDirs (API key 35).
 * This speaks just that request, version 1 (the oldest Kafka 4 still serves, and the newest without the
 * "flexible" encoding), over a plain TCP connection to one broker (see kafka-wire). Used by KafkaAdminRepository only.
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
  return requestFrame(API_KEY, API_VERSION, correlationId, clientId, body);
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
  const frame = encodeDescribeLogDirsRequest(correlationId, clientId, topics);
  return roundTrip(broker, frame, { timeoutMs, what: 'DescribeLogDirs' }).then((payload) => {
    const response = decodeDescribeLogDirsResponse(payload);
    if (response.correlationId !== correlationId) {
      throw new Error('DescribeLogDirs: correlation id mismatch');
    }
    const failed = response.results.find((result) => result.errorCode !== 0);
    if (failed) {
      throw new Error(`DescribeLogDirs: error code ${failed.errorCode} for ${failed.logDir}`);
    }
    return response.results.flatMap((result) =>
      result.partitions
        .filter((partition) => !partition.isFuture)
        .map(({ topic, partition, sizeBytes }) => ({ topic, partition, sizeBytes })),
    );
  });
}
