/**
 * The write timestamp, in microseconds, of one version of a user: when its record entered the pipeline, and the
 * record's Kafka offset below the millisecond. Rows and search entries are written `USING TIMESTAMP` this value,
 * so replaying older records (a group reset to earlier offsets, a redrive) never overwrites a newer version, and
 * two versions within one millisecond are ordered by their offsets (a user's records share a partition: the key
 * is its id).
 */
export function versionMicros(ingestedAt: Date, kafkaOffset: string | null): bigint {
  const withinMs = kafkaOffset === null ? 0n : BigInt(kafkaOffset) % 1000n;
  return BigInt(ingestedAt.getTime()) * 1000n + withinMs;
}
