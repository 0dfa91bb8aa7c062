import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { DeadLetterKind } from '@userstream/contracts';
import { DeadLetterEntity, DeadLetterRedriveEntity } from './dead-letter.entity.js';

/** A letter's place in the dead-letter topic. */
export interface LetterPosition {
  partition: number;
  offset: string;
}

/** Which letters: by position, or by kind (and run: a run id, null for none, undefined for any). */
export type LetterSelection =
  | { positions: readonly LetterPosition[] }
  | { kind: DeadLetterKind; runId?: string | null };

export interface GroupRow {
  kind: string;
  runId: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  example: string;
}

export interface LetterRow extends DeadLetterEntity {
  redriveId: string | null;
  redriveState: 'pending' | 'produced' | null;
  redriveAt: Date | null;
}

export interface SelectionCounts {
  matched: number;
  alreadyRedriven: number;
  skippedFailedAgain: number;
  skippedTruncated: number;
  skippedOtherTopic: number;
  redrivable: number;
}

export interface RedriveRow {
  id: string;
  actor: string;
  startedAt: Date;
  records: number;
  produced: number;
  pending: number;
}

/**
 * A claim left `pending` this long belongs to a backend that stopped between producing and recording: it may
 * be claimed again. Far longer than one chunk's produce takes, so a live redrive never loses its claim.
 */
export const STALE_CLAIM_SECONDS = 120;
/** A ledger row that counts as redriven: produced, or claimed by a redrive that may still be producing. */
const HELD = `(r.state = 'produced' OR r.claimed_at >= now() - interval '${STALE_CLAIM_SECONDS} seconds')`;
const REDRIVABLE_VALUE = `(d.value IS NOT NULL AND NOT d.value_truncated)`;

/** The dead-letter index and the redrive ledger (PostgreSQL). */
@Injectable()
export class DeadLettersRepository {
  constructor(
    @InjectRepository(DeadLetterEntity) private readonly letters: Repository<DeadLetterEntity>,
    @InjectRepository(DeadLetterRedriveEntity) private readonly redrives: Repository<DeadLetterRedriveEntity>,
  ) {}

  /** Idempotent: a letter read again (a batch fetched again after a crash) is kept once. */
  /**
   * Forgets what the index and the redrive ledger hold at or beyond each partition's end: positions a topic
   * deleted and created again (or a wiped Kafka) hands out anew. Returns the number of letters forgotten.
   */
  async forgetBeyond(topic: string, ends: readonly { partition: number; offset: string }[]): Promise<number> {
    let forgotten = 0;
    for (const { partition, offset } of ends) {
      const where = 'dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset >= $3::bigint';
      await this.letters.query(`DELETE FROM dead_letter_redrives WHERE ${where}`, [topic, partition, offset]);
      const [, count] = await this.letters.query<[unknown[], number]>(
        `DELETE FROM dead_letters WHERE ${where}`,
        [topic, partition, offset],
      );
      forgotten += count;
    }
    return forgotten;
  }

  async insertMany(rows: DeadLetterEntity[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.letters.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  async countAll(topic: string): Promise<number> {
    return this.letters.countBy({ dlqTopic: topic });
  }

  /** Letters per kind and run, largest groups first. */
  async groups(topic: string, limit: number): Promise<GroupRow[]> {
    const rows: {
      kind: string;
      run_id: string | null;
      count: string;
      first_seen: Date;
      last_seen: Date;
      example: string;
    }[] = await this.letters.query(
      `SELECT kind, run_id, count(*) AS count, min(failed_at) AS first_seen, max(failed_at) AS last_seen,
              (array_agg(reason ORDER BY failed_at DESC))[1] AS example
         FROM dead_letters WHERE dlq_topic = $1
        GROUP BY kind, run_id ORDER BY count(*) DESC, max(failed_at) DESC LIMIT $2`,
      [topic, limit],
    );
    return rows.map((row) => ({
      kind: row.kind,
      runId: row.run_id,
      count: Number(row.count),
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      example: row.example,
    }));
  }

  /** The highest offset indexed, per partition of the dead-letter topic. */
  async indexedUpTo(topic: string): Promise<LetterPosition[]> {
    const rows: { partition: number; offset: string }[] = await this.letters.query(
      `SELECT dlq_partition AS partition, max(dlq_offset)::text AS offset
         FROM dead_letters WHERE dlq_topic = $1 GROUP BY dlq_partition ORDER BY dlq_partition`,
      [topic],
    );
    return rows;
  }

  /**
   * A page of letters, newest first, each with its redrive; `after` is the last row of the previous page
   * (keyset paging: a page costs the same however deep it is).
   */
  async page(
    topic: string,
    filter: { kind?: DeadLetterKind; runId?: string | null },
    after: { failedAt: Date; partition: number; offset: string } | null,
    limit: number,
  ): Promise<LetterRow[]> {
    const query = this.letters
      .createQueryBuilder('d')
      .leftJoin(
        DeadLetterRedriveEntity,
        'r',
        'r.dlq_topic = d.dlq_topic AND r.dlq_partition = d.dlq_partition AND r.dlq_offset = d.dlq_offset',
      )
      .select('d')
      .addSelect(['r.redrive_id AS redrive_id', 'r.state AS redrive_state', 'r.claimed_at AS redrive_at'])
      .where('d.dlq_topic = :topic', { topic })
      .orderBy('d.failed_at', 'DESC')
      .addOrderBy('d.dlq_partition', 'DESC')
      .addOrderBy('d.dlq_offset', 'DESC')
      .limit(limit);
    if (filter.kind) {
      query.andWhere('d.kind = :kind', { kind: filter.kind });
    }
    if (filter.runId === null) {
      query.andWhere('d.run_id IS NULL');
    } else if (filter.runId !== undefined) {
      query.andWhere('d.run_id = :runId', { runId: filter.runId });
    }
    if (after) {
      query.andWhere(
        '(d.failed_at, d.dlq_partition, d.dlq_offset) < (:failedAt, :partition, :offset)',
        after,
      );
    }
    const { entities, raw } = await query.getRawAndEntities<{
      redrive_id: string | null;
      redrive_state: 'pending' | 'produced' | null;
      redrive_at: Date | null;
    }>();
    return entities.map((entity, i) => ({
      ...entity,
      redriveId: raw[i]?.redrive_id ?? null,
      redriveState: raw[i]?.redrive_state ?? null,
      redriveAt: raw[i]?.redrive_at ?? null,
    }));
  }

  /** What a redrive of the selection would do, in one pass over it. */
  async countSelection(
    topic: string,
    selection: LetterSelection,
    targets: readonly string[],
  ): Promise<SelectionCounts> {
    const { where, params } = selectionSql(topic, selection, targets);
    const held = `(r.dlq_offset IS NOT NULL AND ${HELD})`;
    const again = failedAgain(selection);
    const [row]: Record<keyof SelectionCounts, string>[] = await this.letters.query(
      `SELECT count(*) AS "matched",
              count(*) FILTER (WHERE ${held}) AS "alreadyRedriven",
              count(*) FILTER (WHERE NOT ${held} AND ${again}) AS "skippedFailedAgain",
              count(*) FILTER (WHERE NOT ${held} AND NOT ${again} AND NOT ${REDRIVABLE_VALUE}) AS "skippedTruncated",
              count(*) FILTER (WHERE NOT ${held} AND NOT ${again} AND ${REDRIVABLE_VALUE}
                                 AND d.source_topic <> ALL($2)) AS "skippedOtherTopic",
              count(*) FILTER (WHERE NOT ${held} AND NOT ${again} AND ${REDRIVABLE_VALUE}
                                 AND d.source_topic = ANY($2)) AS "redrivable"
         FROM dead_letters d
         LEFT JOIN dead_letter_redrives r USING (dlq_topic, dlq_partition, dlq_offset)
        WHERE ${where}`,
      params,
    );
    return {
      matched: Number(row?.matched ?? 0),
      alreadyRedriven: Number(row?.alreadyRedriven ?? 0),
      skippedFailedAgain: Number(row?.skippedFailedAgain ?? 0),
      skippedTruncated: Number(row?.skippedTruncated ?? 0),
      skippedOtherTopic: Number(row?.skippedOtherTopic ?? 0),
      redrivable: Number(row?.redrivable ?? 0),
    };
  }

  /** Positions of the letters of the selection that may be redriven now, oldest first. */
  async redrivable(
    topic: string,
    selection: LetterSelection,
    targets: readonly string[],
    limit: number,
  ): Promise<LetterPosition[]> {
    const { where, params } = selectionSql(topic, selection, targets);
    return this.letters.query(
      `SELECT d.dlq_partition AS partition, d.dlq_offset::text AS offset
         FROM dead_letters d
         LEFT JOIN dead_letter_redrives r USING (dlq_topic, dlq_partition, dlq_offset)
        WHERE ${where} AND NOT (r.dlq_offset IS NOT NULL AND ${HELD}) AND NOT ${failedAgain(selection)}
          AND ${REDRIVABLE_VALUE} AND d.source_topic = ANY($2)
        ORDER BY d.failed_at, d.dlq_partition, d.dlq_offset
        LIMIT ${Number(limit)}`,
      params,
    );
  }

  /**
   * Claims letters for a redrive before anything is produced: a letter without a ledger row, or whose claim
   * went stale, becomes this redrive's (`pending`); any other is left alone. Returns the claimed letters,
   * values included. One statement, so two redrives racing for a letter cannot both claim it.
   */
  async claim(
    topic: string,
    positions: readonly LetterPosition[],
    redriveId: string,
    actor: string,
  ): Promise<DeadLetterEntity[]> {
    if (positions.length === 0) {
      return [];
    }
    const rows: RawLetter[] = await this.redrives.query(
      `WITH claimed AS (
         INSERT INTO dead_letter_redrives AS r
                (dlq_topic, dlq_partition, dlq_offset, redrive_id, actor, state, target_topic)
         SELECT d.dlq_topic, d.dlq_partition, d.dlq_offset, $4, $5, 'pending', d.source_topic
           FROM dead_letters d
           JOIN unnest($2::int[], $3::bigint[]) AS p(partition, "offset")
             ON d.dlq_partition = p.partition AND d.dlq_offset = p."offset"
          WHERE d.dlq_topic = $1
         ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO UPDATE
            SET redrive_id = excluded.redrive_id, actor = excluded.actor, claimed_at = now()
          WHERE r.state = 'pending' AND r.claimed_at < now() - interval '${STALE_CLAIM_SECONDS} seconds'
         RETURNING r.dlq_partition, r.dlq_offset)
       SELECT d.* FROM dead_letters d JOIN claimed USING (dlq_partition, dlq_offset)
        WHERE d.dlq_topic = $1 ORDER BY d.failed_at, d.dlq_partition, d.dlq_offset`,
      [topic, positions.map((p) => p.partition), positions.map((p) => p.offset), redriveId, actor],
    );
    return rows.map(fromRaw);
  }

  /** Records that this redrive's claimed letters were acknowledged by Kafka. */
  async confirm(topic: string, positions: readonly LetterPosition[], redriveId: string): Promise<void> {
    await this.redrives.query(
      `UPDATE dead_letter_redrives SET state = 'produced', produced_at = now()
        WHERE dlq_topic = $1 AND redrive_id = $4
          AND (dlq_partition, dlq_offset) IN (SELECT * FROM unnest($2::int[], $3::bigint[]))`,
      [topic, positions.map((p) => p.partition), positions.map((p) => p.offset), redriveId],
    );
  }

  /** Gives back claims whose produce failed (Kafka refused it): they may be redriven again at once. */
  async release(topic: string, positions: readonly LetterPosition[], redriveId: string): Promise<void> {
    await this.redrives.query(
      `DELETE FROM dead_letter_redrives
        WHERE dlq_topic = $1 AND redrive_id = $4 AND state = 'pending'
          AND (dlq_partition, dlq_offset) IN (SELECT * FROM unnest($2::int[], $3::bigint[]))`,
      [topic, positions.map((p) => p.partition), positions.map((p) => p.offset), redriveId],
    );
  }

  /** The latest redrives, newest first. */
  async recentRedrives(topic: string, limit: number): Promise<RedriveRow[]> {
    const rows: {
      id: string;
      actor: string;
      started_at: Date;
      records: string;
      produced: string;
    }[] = await this.redrives.query(
      `SELECT redrive_id AS id, min(actor) AS actor, min(claimed_at) AS started_at, count(*) AS records,
              count(*) FILTER (WHERE state = 'produced') AS produced
         FROM dead_letter_redrives WHERE dlq_topic = $1
        GROUP BY redrive_id ORDER BY min(claimed_at) DESC LIMIT $2`,
      [topic, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      actor: row.actor,
      startedAt: row.started_at,
      records: Number(row.records),
      produced: Number(row.produced),
      pending: Number(row.records) - Number(row.produced),
    }));
  }
}

/** A `dead_letters` row as pg returns it to a raw query. */
interface RawLetter {
  dlq_topic: string;
  dlq_partition: number;
  dlq_offset: string;
  kind: string;
  reason: string;
  run_id: string | null;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  record_key: string | null;
  failed_at: Date;
  value: Buffer | null;
  value_bytes: number;
  value_truncated: boolean;
  headers: Record<string, string>;
  redrive_of: string | null;
}

function fromRaw(row: RawLetter): DeadLetterEntity {
  return Object.assign(new DeadLetterEntity(), {
    dlqTopic: row.dlq_topic,
    dlqPartition: row.dlq_partition,
    dlqOffset: row.dlq_offset,
    kind: row.kind,
    reason: row.reason,
    runId: row.run_id,
    sourceTopic: row.source_topic,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset,
    recordKey: row.record_key,
    failedAt: row.failed_at,
    value: row.value,
    valueBytes: row.value_bytes,
    valueTruncated: row.value_truncated,
    headers: row.headers,
    redriveOf: row.redrive_of,
  });
}

/**
 * Letters of records that were themselves redriven and failed again: left out of "all of a reason", where
 * redriving them with nothing fixed would only go round again; chosen one by one, they go.
 */
const failedAgain = (selection: LetterSelection) =>
  'positions' in selection ? 'false' : '(d.redrive_of IS NOT NULL)';

/** The WHERE clause over `dead_letters d` for a selection; $1 is the topic, $2 the redrive targets. */
function selectionSql(
  topic: string,
  selection: LetterSelection,
  targets: readonly string[],
): { where: string; params: unknown[] } {
  const params: unknown[] = [topic, [...targets]];
  if ('positions' in selection) {
    params.push(
      selection.positions.map((p) => p.partition),
      selection.positions.map((p) => p.offset),
    );
    return {
      where: `d.dlq_topic = $1 AND (d.dlq_partition, d.dlq_offset) IN (SELECT * FROM unnest($3::int[], $4::bigint[]))`,
      params,
    };
  }
  params.push(selection.kind);
  if (selection.runId === undefined) {
    return { where: `d.dlq_topic = $1 AND d.kind = $3`, params };
  }
  if (selection.runId === null) {
    return { where: `d.dlq_topic = $1 AND d.kind = $3 AND d.run_id IS NULL`, params };
  }
  params.push(selection.runId);
  return { where: `d.dlq_topic = $1 AND d.kind = $3 AND d.run_id = $4`, params };
}
