import { Readable } from 'node:stream';
import { ForbiddenException, Injectable } from '@nestjs/common';
import type {
  BrowseDirection,
  ExportFormat,
  MessageExportQuery,
  MessageSearchPage,
  MessageSearchQuery,
} from '@userstream/contracts';
import { CursorSigner, InvalidCursorError } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import {
  KafkaAdminRepository,
  type Watermarks,
  messageBytes,
  type RawMessage,
  TopicMessagesRepository,
  TopicException,
  TopicExceptionCode,
} from '#src/kafka/index.js';
import { BrowseSlots } from './browse-slots.js';
import { exportHeader, exportRow } from './message-export.js';
import { compileFilter, personalSegment } from './message-filter.js';
import { presentMessage } from './message-codec.js';
import { requirePartition } from './messages.service.js';
import {
  advance,
  initialState,
  isDone,
  planChunks,
  progressOf,
  SearchState,
  trimMatches,
} from './search-plan.js';
import { TopicsService } from './topics.service.js';

/** One call's scan gives up after this long (joining its throwaway group included) and says how far it got. */
const SEARCH_TIMEOUT_MS = 15_000;
/** Bytes of matches one call keeps in memory at most (the first match is kept whatever its size). */
const MATCH_BYTES_LIMIT = 16_777_216;
/** An export runs as a series of scans this size, streaming each one's rows before the next. */
const EXPORT_STEP_BUDGET = 50_000;
const EXPORT_STEP_MATCHES = 2_000;
const CURSOR_DOMAIN = 'userstream:messages-search-cursor:v1';

type StepStop = MessageSearchPage['stoppedBy'];
type SearchInput = MessageSearchQuery | MessageExportQuery;

/** Who searches: an admin's filters match the data as stored, anyone else's what they are shown (masked). */
export interface Searcher {
  admin: boolean;
}

interface Prepared {
  state: SearchState;
  watermarks: Map<number, Watermarks>;
  filter: (message: RawMessage) => boolean;
}

interface StepResult {
  matches: RawMessage[];
  state: SearchState;
  scanned: number;
  stoppedBy: StepStop;
}

/**
 * Matches of one scan. Forward, reading stops once enough are found. Newest first, each partition's chunk
 * is read whole, oldest offset first, so only its newest matches are kept: those dropped move the
 * partition's position above them (`dropped`), so the next call finds them again.
 */
class MatchCollector {
  private readonly byPartition = new Map<number, RawMessage[]>();
  private readonly bytes = new Map<number, number>();
  readonly dropped = new Map<number, number>();
  private count = 0;
  private total = 0;
  full: 'maxMatches' | 'maxBytes' | undefined;

  constructor(
    private readonly direction: BrowseDirection,
    private readonly max: number,
    private readonly maxBytes: number,
  ) {}

  /** Takes a match; false once reading should stop. */
  add(message: RawMessage): boolean {
    const list = this.byPartition.get(message.partition) ?? [];
    this.byPartition.set(message.partition, list);
    list.push(message);
    const size = messageBytes(message);
    this.bytes.set(message.partition, (this.bytes.get(message.partition) ?? 0) + size);
    this.count++;
    this.total += size;
    if (this.direction === 'forward') {
      if (this.count >= this.max) {
        this.full = 'maxMatches';
      } else if (this.total >= this.maxBytes) {
        this.full = 'maxBytes';
      }
      return this.full === undefined;
    }
    while (
      list.length > 1 &&
      (list.length > this.max || (this.bytes.get(message.partition) ?? 0) > this.maxBytes)
    ) {
      const oldest = list.shift() as RawMessage;
      this.bytes.set(message.partition, (this.bytes.get(message.partition) ?? 0) - messageBytes(oldest));
      this.dropped.set(message.partition, oldest.offset);
    }
    return true;
  }

  /** Matches of the partitions whose progress counts (all of them forward; the complete ones newest first). */
  matches(counted: (partition: number) => boolean): RawMessage[] {
    return [...this.byPartition].flatMap(([partition, list]) => (counted(partition) ? list : []));
  }
}

/**
 * Server-side search in a topic's messages with a scan budget and a signed continuation cursor, and exports of
 * what a search finds. Personal data is masked in what leaves unless an admin asks (`unmasked`).
 */
@Injectable()
export class MessageSearchService {
  private readonly cursors: CursorSigner;

  constructor(
    private readonly topics: TopicsService,
    private readonly admin: KafkaAdminRepository,
    private readonly messages: TopicMessagesRepository,
    private readonly slots: BrowseSlots,
    config: AppConfig,
  ) {
    this.cursors = new CursorSigner(config.users.cursorSecret, CURSOR_DOMAIN);
  }

  async search(name: string, query: MessageSearchQuery, searcher: Searcher): Promise<MessageSearchPage> {
    const prepared = await this.prepare(name, query, searcher);
    const step = await this.slots.run(() =>
      this.step(name, prepared, prepared.state, { budget: query.budget, maxMatches: query.maxMatches }),
    );
    const done = step.stoppedBy === 'end';
    return {
      topic: name,
      direction: query.direction,
      masked: !query.unmasked,
      items: step.matches.map((message) => presentMessage(message, !query.unmasked)),
      scanned: step.scanned,
      budget: query.budget,
      stoppedBy: step.stoppedBy,
      progress: progressOf(step.state),
      nextCursor: done ? null : this.signCursor(name, query, step.state),
    };
  }

  /**
   * An export of what a search finds, as a stream of JSON lines or CSV rows. Everything that can be refused
   * is checked before the stream is returned, so errors are still proper 4xx answers; it then scans in steps
   * until the budget, the match count or the end, holding one of the process's read slots meanwhile.
   */
  async export(
    name: string,
    query: MessageExportQuery,
    searcher: Searcher,
  ): Promise<{ stream: Readable; contentType: string; filename: string }> {
    const prepared = await this.prepare(name, query, searcher);
    const release = this.slots.acquire();
    const stream = Readable.from(this.rows(name, query, prepared, release), { objectMode: false });
    stream.once('close', release);
    return {
      stream,
      contentType: query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      filename: `${name}-messages.${query.format}`,
    };
  }

  private async *rows(
    name: string,
    query: MessageExportQuery,
    prepared: Prepared,
    release: () => void,
  ): AsyncGenerator<string> {
    const format: ExportFormat = query.format;
    try {
      const header = exportHeader(format);
      if (header) {
        yield header;
      }
      let state = prepared.state;
      let scanned = 0;
      let matched = 0;
      while (scanned < query.budget && matched < query.maxMatches) {
        const step = await this.step(name, prepared, state, {
          budget: Math.min(EXPORT_STEP_BUDGET, query.budget - scanned),
          maxMatches: Math.min(EXPORT_STEP_MATCHES, query.maxMatches - matched),
        });
        const rows = step.matches.map((message) =>
          exportRow(format, presentMessage(message, !query.unmasked)),
        );
        if (rows.length > 0) {
          yield rows.join('');
        }
        const moved = progressOf(step.state).covered !== progressOf(state).covered;
        scanned += step.scanned;
        matched += step.matches.length;
        state = step.state;
        // a step that moved nothing (it timed out before reading) would only do the same again
        if (step.stoppedBy === 'end' || !moved) {
          break;
        }
      }
    } finally {
      release();
    }
  }

  /** Validates the topic, the partition, the filters the caller may use and the cursor; plans the start. */
  private async prepare(name: string, query: SearchInput, searcher: Searcher): Promise<Prepared> {
    if (!searcher.admin && query.field !== undefined) {
      const personal = personalSegment(query.field);
      if (personal !== undefined) {
        throw new ForbiddenException({
          code: 'AUTH_FORBIDDEN',
          message: `"${personal}" holds personal data, masked for your role: only admins may filter on it`,
          details: [{ field: 'field', message: 'personal data: admins only' }],
        });
      }
    }
    const topic = await this.topics.require(name);
    if (query.partition !== undefined) {
      requirePartition(topic, query.partition);
    }
    const watermarks = new Map(topic.partitions.map((part) => [part.partition, part]));
    let state: SearchState;
    if (query.cursor !== undefined) {
      state = this.verifyCursor(name, query, query.cursor);
      const unknown = state.partitions.find((part) => !watermarks.has(part.partition));
      if (unknown) {
        throw invalidCursor(`partition ${unknown.partition} no longer exists`);
      }
    } else {
      const partitions =
        query.partition === undefined ? topic.partitions : [requirePartition(topic, query.partition)];
      // newest first from a timestamp: what was written up to and including that millisecond
      const boundary =
        query.timestamp === undefined
          ? undefined
          : await this.admin.offsetsForTimestamp(
              name,
              query.direction === 'forward' ? query.timestamp : query.timestamp + 1,
            );
      state = initialState(partitions, query, boundary);
    }
    return { state, watermarks, filter: compileFilter(query, { mask: !searcher.admin }) };
  }

  /** One scan of at most `budget` messages from `state`. */
  private async step(
    name: string,
    prepared: Prepared,
    state: SearchState,
    { budget, maxMatches }: { budget: number; maxMatches: number },
  ): Promise<StepResult> {
    const planned = planChunks(state, budget, prepared.watermarks);
    if (planned.chunks.length === 0) {
      return { matches: [], state: planned.state, scanned: 0, stoppedBy: 'end' };
    }
    const collector = new MatchCollector(state.direction, maxMatches, MATCH_BYTES_LIMIT);
    let scanned = 0;
    const scan = await this.messages.scanRanges(name, planned.chunks, {
      timeoutMs: SEARCH_TIMEOUT_MS,
      visit: (message) => {
        scanned++;
        if (!prepared.filter(message)) {
          return 'next';
        }
        return collector.add(message) ? 'next' : 'last';
      },
    });
    const { state: advanced, complete } = advance(planned.state, planned.chunks, scan.reached);
    const forward = state.direction === 'forward';
    const counted = (partition: number) => forward || complete.has(partition);
    const moved: SearchState = {
      ...advanced,
      partitions: advanced.partitions.map((part) => {
        const dropped = collector.dropped.get(part.partition);
        return dropped !== undefined && complete.has(part.partition)
          ? { ...part, position: dropped + 1 }
          : part;
      }),
    };
    const trimmed = trimMatches(collector.matches(counted), moved, maxMatches);
    const finished = trimmed.state.partitions.every((part) => isDone(part, state.direction));
    const stoppedBy: StepStop = finished
      ? 'end'
      : (collector.full ??
        (trimmed.trimmed || collector.dropped.size > 0
          ? 'maxMatches'
          : scan.stoppedBy === 'timeout'
            ? 'timeout'
            : 'budget'));
    return { matches: trimmed.kept, state: trimmed.state, scanned, stoppedBy };
  }

  /** The filters and start a cursor is bound to: the same search, on the same topic. */
  private cursorFilters(name: string, query: SearchInput) {
    return {
      topic: name,
      key: query.key,
      keyMatch: query.key === undefined ? undefined : query.keyMatch,
      header: query.header,
      headerValue: query.headerValue,
      text: query.text,
      field: query.field,
      fieldValue: query.fieldValue,
      partition: query.partition,
      offset: query.offset,
      timestamp: query.timestamp,
      direction: query.direction,
    };
  }

  private signCursor(name: string, query: SearchInput, state: SearchState): string {
    return this.cursors.sign(Buffer.from(JSON.stringify(state)), this.cursorFilters(name, query));
  }

  private verifyCursor(name: string, query: SearchInput, cursor: string): SearchState {
    try {
      const bytes = this.cursors.verify(cursor, this.cursorFilters(name, query));
      const parsed = SearchState.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed.success || parsed.data.direction !== query.direction) {
        throw invalidCursor('malformed cursor');
      }
      return parsed.data;
    } catch (error) {
      if (error instanceof TopicException) {
        throw error;
      }
      if (error instanceof InvalidCursorError) {
        throw invalidCursor(error.message);
      }
      throw invalidCursor('malformed cursor');
    }
  }
}

const invalidCursor = (reason: string) =>
  new TopicException(
    TopicExceptionCode.INVALID_CURSOR,
    `invalid cursor: ${reason}; start the search again without it`,
    [{ field: 'cursor', message: reason }],
  );
