import { Injectable } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { RawUserHeaders } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { KafkaProducerService } from '#src/kafka/index.js';
import { storeRefusal, UsersRepository, toStoredUser, type UserRow } from '#src/users/index.js';
import { decodeJson, header } from './message-values.js';
import type { Decoded, KafkaPosition, RecordStream } from './record-stream.js';
import { transformUser } from './user-transform.js';

/** A time header, or null when absent or unreadable (lineage is informative, never a reason to refuse). */
const timeHeader = (message: KafkaMessage, name: string): Date | null => {
  const value = header(message, name);
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

const kafkaTime = (message: KafkaMessage): Date | null => {
  const date = new Date(Number(message.timestamp));
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Raw users of any randomuser.me version -> the `users` table, then the processed topic. */
@Injectable()
export class UsersStream implements RecordStream<UserRow> {
  readonly name = 'users';

  constructor(
    private readonly users: UsersRepository,
    private readonly producer: KafkaProducerService,
    private readonly config: AppConfig,
  ) {}

  decode(message: KafkaMessage, position: KafkaPosition, now: Date): Decoded<UserRow> {
    const json = decodeJson(message);
    if (!json.ok) {
      return json;
    }
    const result = transformUser(
      json.value,
      {
        source: header(message, RawUserHeaders.source) ?? 'unknown',
        runId: header(message, RawUserHeaders.runId),
        fetchedAt: timeHeader(message, RawUserHeaders.fetchedAt),
        // a record from an outside producer has no header: it entered the pipeline when Kafka stamped it
        ingestedAt: timeHeader(message, RawUserHeaders.ingestedAt) ?? kafkaTime(message),
        position,
      },
      now,
    );
    return result.ok ? { ok: true, row: result.user } : result;
  }

  refusal(row: UserRow): string | null {
    return storeRefusal(row);
  }

  write(row: UserRow): Promise<void> {
    return this.users.upsert(row);
  }

  writeBatch(rows: readonly UserRow[]): Promise<void> {
    return this.users.upsertBatch(rows);
  }

  async afterStored(rows: readonly UserRow[]): Promise<void> {
    await this.producer.send(
      this.config.kafka.topics.processedUsers,
      rows.map((row) => ({ key: row.id, value: JSON.stringify(toStoredUser(row)) })),
    );
  }
}
