import { Injectable } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { Decoded, KafkaPosition, RecordStream } from '#src/processing/index.js';
import { CreatedUsersRepository } from './created-users.repository.js';
import { decodeSeedUser, type SeedRow } from './seed-user.transform.js';

/**
 * The tutorial's records (`users_created`: flat JSON, no key, no headers) -> its `created_users` table only.
 * Nothing is published downstream: seed users are not the product's users and stay out of `users`.
 */
@Injectable()
export class SeedUsersStream implements RecordStream<SeedRow> {
  readonly name = 'seed_users';

  constructor(private readonly createdUsers: CreatedUsersRepository) {}

  decode(message: KafkaMessage, _position: KafkaPosition, _now: Date): Decoded<SeedRow> {
    return decodeSeedUser(message.value);
  }

  /**
   * Nothing left to refuse: the table has no index and no typed column but the uuid key, which decode
   * checked, and the value's size cap keeps every text far below Cassandra's limits.
   */
  refusal(_row: SeedRow): string | null {
    return null;
  }

  write(row: SeedRow): Promise<void> {
    return this.createdUsers.upsert(row);
  }

  writeBatch(rows: readonly SeedRow[]): Promise<void> {
    return this.createdUsers.upsertBatch(rows);
  }
}
