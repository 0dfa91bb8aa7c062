import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { IHeaders, Message } from 'kafkajs';
import {
  type DeadLetterKind,
  type DeadLetterRecord,
  type DeadLetterRecordPage,
  type DeadLetterRecordsQuery,
  type DeadLetterSummary,
  NO_RUN,
  REDRIVE_MAX,
  RedriveHeaders,
  type RedriveList,
  type RedriveRequest,
  type RedriveResult,
} from '@userstream/contracts';
import type { z } from 'zod';
import { AppConfig } from '#src/config/index.js';
import { KafkaProducerService } from '#src/kafka/index.js';
import { decodePayload } from '#src/topics/index.js';
import type { DeadLetterEntity } from './dead-letter.entity.js';
import { DeadLetterException, DeadLetterExceptionCode } from './dead-letter.exception.js';
import {
  DeadLettersRepository,
  type LetterPosition,
  type LetterRow,
  type LetterSelection,
} from './dead-letters.repository.js';
import { decodeCursor, encodeCursor } from './letter-cursor.js';

const SUMMARY_GROUPS = 500;
/** Letters claimed and produced together: one ledger statement and one produce call each. */
const REDRIVE_CHUNK = 200;

/**
 * The dead-letter workflow: what failed and why (from the index the indexer keeps), and redrives of the
 * original records to the topic they came from. A redrive is at most once per letter: each letter is
 * claimed in the ledger before it is produced and confirmed once Kafka acknowledged it.
 */
@Injectable()
export class DeadLettersService {
  private readonly topic: string;
  /** Topics the processor reads: a letter from anywhere else has nowhere to go back to. */
  private readonly targets: string[];

  constructor(
    private readonly letters: DeadLettersRepository,
    private readonly producer: KafkaProducerService,
    config: AppConfig,
  ) {
    this.topic = config.kafka.topics.deadLetters;
    this.targets = [config.kafka.topics.rawUsers, config.kafka.topics.seedUsers];
  }

  async summary(): Promise<DeadLetterSummary> {
    const [total, groups, indexedUpTo] = await Promise.all([
      this.letters.countAll(this.topic),
      this.letters.groups(this.topic, SUMMARY_GROUPS),
      this.letters.indexedUpTo(this.topic),
    ]);
    return {
      total,
      groups: groups.map((group) => ({
        kind: group.kind as DeadLetterKind,
        runId: group.runId,
        count: group.count,
        firstSeen: group.firstSeen.toISOString(),
        lastSeen: group.lastSeen.toISOString(),
        example: group.example,
      })),
      indexedUpTo,
    };
  }

  async records(query: z.output<typeof DeadLetterRecordsQuery>): Promise<DeadLetterRecordPage> {
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const rows = await this.letters.page(
      this.topic,
      { kind: query.reason, runId: runFilter(query.runId) },
      after,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => present(row, !query.unmasked)),
      masked: !query.unmasked,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ failedAt: last.failedAt, partition: last.dlqPartition, offset: last.dlqOffset })
          : null,
    };
  }

  async redrive(request: z.output<typeof RedriveRequest>, actor: string): Promise<RedriveResult> {
    const selection = toSelection(request);
    const counts = await this.letters.countSelection(this.topic, selection, this.targets);
    const unknown = 'positions' in selection ? selection.positions.length - counts.matched : 0;
    const result = {
      dryRun: request.dryRun,
      matched: counts.matched,
      alreadyRedriven: counts.alreadyRedriven,
      skippedFailedAgain: counts.skippedFailedAgain,
      skippedTruncated: counts.skippedTruncated,
      skippedOtherTopic: counts.skippedOtherTopic,
      unknown,
      more: counts.redrivable > REDRIVE_MAX,
    };
    if (request.dryRun) {
      return { ...result, id: null, redriven: Math.min(counts.redrivable, REDRIVE_MAX) };
    }

    const id = randomUUID();
    const positions = await this.letters.redrivable(this.topic, selection, this.targets, REDRIVE_MAX);
    let redriven = 0;
    for (let i = 0; i < positions.length; i += REDRIVE_CHUNK) {
      redriven += await this.redriveChunk(positions.slice(i, i + REDRIVE_CHUNK), id, actor, redriven);
    }
    // letters another redrive claimed between the count and the claim are theirs: already redriven
    return { ...result, id, redriven, alreadyRedriven: counts.alreadyRedriven + positions.length - redriven };
  }

  async recentRedrives(): Promise<RedriveList> {
    const rows = await this.letters.recentRedrives(this.topic, 20);
    return { items: rows.map((row) => ({ ...row, startedAt: row.startedAt.toISOString() })) };
  }

  /**
   * Claim, produce, confirm. A crash after producing and before confirming leaves the claims `pending`: the
   * records were most likely sent, so they are not sent again until the claim goes stale (STALE_CLAIM_SECONDS);
   * a redrive after that sends them once more, which the processor's upsert by user id makes harmless.
   */
  private async redriveChunk(
    positions: LetterPosition[],
    id: string,
    actor: string,
    redrivenBefore: number,
  ): Promise<number> {
    const claimed = await this.letters.claim(this.topic, positions, id, actor);
    if (claimed.length === 0) {
      return 0;
    }
    const mine = claimed.map((letter) => ({ partition: letter.dlqPartition, offset: letter.dlqOffset }));
    try {
      for (const target of this.targets) {
        const messages = claimed
          .filter((letter) => letter.sourceTopic === target)
          .map((l) => this.message(l, id));
        await this.producer.send(target, messages);
      }
    } catch (error) {
      await this.letters.release(this.topic, mine, id);
      throw new DeadLetterException(
        DeadLetterExceptionCode.REDRIVE_FAILED,
        `Kafka did not take the redriven records: ${(error as Error).message}`,
        { redriveId: id, redriven: redrivenBefore },
      );
    }
    await this.letters.confirm(this.topic, mine, id);
    return claimed.length;
  }

  /** The original record again, with headers saying which letter and which redrive it comes from. */
  private message(letter: DeadLetterEntity, id: string): Message {
    const headers: IHeaders = {};
    for (const [name, value] of Object.entries(letter.headers)) {
      headers[name] = Buffer.from(value, 'base64');
    }
    headers[RedriveHeaders.of] = `${this.topic}/${letter.dlqPartition}/${letter.dlqOffset}`;
    headers[RedriveHeaders.redriveId] = id;
    return { key: letter.recordKey, value: letter.value, headers };
  }
}

const runFilter = (runId: string | undefined): string | null | undefined => (runId === NO_RUN ? null : runId);

function toSelection(request: z.output<typeof RedriveRequest>): LetterSelection {
  if (request.ids) {
    const unique = [...new Set(request.ids)];
    return {
      positions: unique.map((id) => {
        const [partition, offset] = id.split(':');
        return { partition: Number(partition), offset: offset! };
      }),
    };
  }
  return { kind: request.reason!, runId: runFilter(request.runId) };
}

/**
 * A letter for the page. Masked, only JSON is shown (its personal fields masked, as topic browsing does);
 * text or bytes that are not JSON are hidden, since nothing says which of their parts are personal.
 */
function present(row: LetterRow, mask: boolean): DeadLetterRecord {
  const decoded = decodePayload(row.value, { mask });
  const hidden = mask && decoded !== null && decoded.encoding !== 'json';
  return {
    id: `${row.dlqPartition}:${row.dlqOffset}`,
    kind: row.kind as DeadLetterKind,
    reason: row.reason,
    runId: row.runId,
    source: { topic: row.sourceTopic, partition: row.sourcePartition, offset: row.sourceOffset },
    key: row.recordKey,
    failedAt: row.failedAt.toISOString(),
    valueBytes: row.valueBytes,
    valueTruncated: row.valueTruncated,
    original: hidden ? null : decoded,
    originalHidden: hidden,
    redriveOf: row.redriveOf,
    redrive:
      row.redriveId && row.redriveState && row.redriveAt
        ? { id: row.redriveId, state: row.redriveState, at: new Date(row.redriveAt).toISOString() }
        : null,
  };
}
