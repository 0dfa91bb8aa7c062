import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage, Message } from 'kafkajs';
import { DEAD_LETTER_VALUE_MAX, type DeadLetter, RawUserHeaders } from '@userstream/contracts';
import { AppConfig } from '../config/app-config.js';
import { KafkaProducerService } from '../kafka/kafka-producer.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { RunCountersBuffer } from './run-counters.buffer.js';
import type { KafkaBatch } from './kafka-batch.server.js';
import { type KafkaPosition, toStoredUser, transformUser, type UserRow } from './user-transform.js';

/** Larger values are refused before parsing (Kafka's default max.message.bytes is about 1 MB). */
export const MAX_VALUE_BYTES = 512 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const header = (message: KafkaMessage, name: string): string | null => {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

/** A time header, or null when absent or unreadable (lineage is informative, never a reason to refuse). */
const timeHeader = (message: KafkaMessage, name: string): Date | null => {
  const value = header(message, name);
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
};

type Decoded = { ok: true; row: UserRow } | { ok: false; reason: string };

/** Validate, transform, store, publish: the stream processor's rules for one batch. */
@Injectable()
export class ProcessingService {
  private readonly logger = new Logger(ProcessingService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly producer: KafkaProducerService,
    private readonly counters: RunCountersBuffer,
    private readonly config: AppConfig,
  ) {}

  decode(message: KafkaMessage, now: Date, position?: Omit<KafkaPosition, 'offset'>): Decoded {
    if (!message.value) return { ok: false, reason: 'empty value' };
    if (message.value.length > MAX_VALUE_BYTES) {
      return { ok: false, reason: `value of ${message.value.length} bytes exceeds ${MAX_VALUE_BYTES}` };
    }
    let text: string;
    try {
      text = utf8.decode(message.value);
    } catch {
      return { ok: false, reason: 'value is not valid UTF-8' };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
    }
    const result = transformUser(
      value,
      {
        source: header(message, RawUserHeaders.source) ?? 'unknown',
        runId: header(message, RawUserHeaders.runId),
        fetchedAt: timeHeader(message, RawUserHeaders.fetchedAt),
        ingestedAt: timeHeader(message, RawUserHeaders.ingestedAt),
        position: position && {
          topic: position.topic,
          partition: position.partition,
          offset: message.offset,
        },
      },
      now,
    );
    return result.ok ? { ok: true, row: result.user } : result;
  }

  /**
   * Dead letters first, then Cassandra (retried until it answers or the consumer stops), then the
   * processed topic. The transport commits the batch only when this resolves.
   */
  async processBatch(batch: KafkaBatch): Promise<void> {
    const now = new Date();
    const rows: UserRow[] = [];
    const deadLetters: Message[] = [];
    const deadByRun = new Map<string | null, number>();
    for (const message of batch.messages) {
      const decoded = this.decode(message, now, batch);
      if (decoded.ok) {
        rows.push(decoded.row);
        continue;
      }
      const runId = header(message, RawUserHeaders.runId);
      deadByRun.set(runId, (deadByRun.get(runId) ?? 0) + 1);
      const letter: DeadLetter = {
        reason: decoded.reason,
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        runId,
        failedAt: now.toISOString(),
        value: message.value?.subarray(0, DEAD_LETTER_VALUE_MAX).toString('base64') ?? null,
        valueBytes: message.value?.length ?? 0,
        valueTruncated: (message.value?.length ?? 0) > DEAD_LETTER_VALUE_MAX,
      };
      deadLetters.push({ key: message.key, value: JSON.stringify(letter), headers: message.headers });
    }

    await this.producer.send(this.config.kafka.topics.deadLetters, deadLetters);
    await this.storeWithRetry(batch, rows);
    await this.producer.send(
      this.config.kafka.topics.processedUsers,
      rows.map((row) => ({ key: row.id, value: JSON.stringify(toStoredUser(row)) })),
    );

    const storedByRun = new Map<string | null, number>();
    for (const row of rows) storedByRun.set(row.runId, (storedByRun.get(row.runId) ?? 0) + 1);
    for (const [runId, stored] of storedByRun) this.counters.add(runId, { processed: stored, stored });
    for (const [runId, dead] of deadByRun) this.counters.add(runId, { processed: dead, deadLettered: dead });
  }

  /** Cassandra failures: back off (pausing the partition), keep the session alive, never skip a row. */
  private async storeWithRetry(batch: KafkaBatch, rows: UserRow[]): Promise<void> {
    let resume: (() => void) | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.users.upsertMany(rows);
        resume?.();
        return;
      } catch (error) {
        if (!batch.isRunning()) throw error;
        resume ??= batch.pause();
        const delay = Math.min(30_000, 200 * 2 ** Math.min(attempt, 8)) * (0.5 + Math.random() / 2);
        this.logger.warn(
          `storing ${rows.length} users of ${batch.topic}[${batch.partition}] failed (attempt ${attempt}), ` +
            `retrying in ${Math.round(delay)} ms: ${(error as Error).message}`,
        );
        await this.waitWithHeartbeat(batch, delay);
      }
    }
  }

  private async waitWithHeartbeat(batch: KafkaBatch, ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && batch.isRunning()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
      await batch.heartbeat().catch(() => undefined);
    }
  }
}
