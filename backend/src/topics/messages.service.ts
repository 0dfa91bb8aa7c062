import { Injectable } from '@nestjs/common';
import {
  type BrowseMessagesQuery,
  type BrowsedMessage,
  type MessagePage,
  type ProducedMessage,
  type ProduceMessageRequest,
  RawUserHeaders,
} from '@userstream/contracts';
import { orderMessages, planRanges } from './browse-plan.js';
import { decodePayload } from './message-codec.js';
import { isInternalTopic } from './topic-rules.js';
import { TopicException, TopicExceptionCode } from './topic.exception.js';
import { type RawMessage, type TopicState, TopicsRepository } from './topics.repository.js';
import { TopicsService } from './topics.service.js';

/** A browse gives up after this long (joining the throwaway group included) and returns what it has. */
const BROWSE_TIMEOUT_MS = 6_000;
const HEADER_DISPLAY_LIMIT = 4_096;
/** Each browse is a consumer joining a group of its own: a handful at once per process is plenty. */
const MAX_CONCURRENT_BROWSES = 4;

function present(message: RawMessage, mask: boolean): BrowsedMessage {
  return {
    partition: message.partition,
    offset: message.offset,
    timestamp:
      Number.isFinite(message.timestamp) && message.timestamp >= 0
        ? new Date(message.timestamp).toISOString()
        : null,
    key: decodePayload(message.key, { mask }),
    value: decodePayload(message.value, { mask }),
    headers: message.headers.map((header) => ({
      key: header.key,
      value: decodePayload(header.value, { mask: false, json: false, limit: HEADER_DISPLAY_LIMIT }),
    })),
  };
}

/** Reading a topic's messages for display, and producing test messages. */
@Injectable()
export class MessagesService {
  private browsing = 0;

  constructor(
    private readonly topics: TopicsService,
    private readonly repository: TopicsRepository,
  ) {}

  async browse(name: string, query: BrowseMessagesQuery): Promise<MessagePage> {
    const state = await this.topics.require(name);
    const partitions =
      query.partition === undefined ? state.partitions : [this.partition(state, query.partition)];
    // newest first from a timestamp: what was written up to and including that millisecond
    const boundary =
      query.timestamp === undefined
        ? undefined
        : await this.repository.offsetsForTimestamp(
            name,
            query.direction === 'forward' ? query.timestamp : query.timestamp + 1,
          );
    const ranges = planRanges(partitions, query, boundary);
    const page = { topic: name, direction: query.direction, masked: !query.unmasked };
    if (ranges.length === 0) return { ...page, stoppedBy: 'end', items: [] };
    if (this.browsing >= MAX_CONCURRENT_BROWSES) {
      throw new TopicException(
        TopicExceptionCode.TOO_MANY_BROWSES,
        `${MAX_CONCURRENT_BROWSES} message browses are running; retry in a few seconds`,
      );
    }
    this.browsing++;
    const read = await this.repository
      .readRanges(name, ranges, { maxBytes: query.maxBytes, timeoutMs: BROWSE_TIMEOUT_MS })
      .finally(() => this.browsing--);
    const ordered = orderMessages(read.messages, query.direction, query.limit);
    return {
      ...page,
      stoppedBy: ordered.length === query.limit ? 'limit' : read.stoppedBy,
      items: ordered.map((message) => present(message, !query.unmasked)),
    };
  }

  /**
   * A test message. The pipeline's topics take one only with `force` (an admin's call): the processors read
   * them. The pipeline's own headers (run, source, times) are the server's to set: a caller's are dropped.
   */
  async produce(name: string, request: ProduceMessageRequest, force = false): Promise<ProducedMessage> {
    const state = await this.topics.require(name);
    if (isInternalTopic(name)) {
      throw new TopicException(
        TopicExceptionCode.TOPIC_PROTECTED,
        `${name} is one of Kafka's internal topics; writing to it would corrupt the cluster's state`,
      );
    }
    const pipeline = this.topics.isPipelineTopic(name);
    if (pipeline && !force) {
      throw new TopicException(
        TopicExceptionCode.TOPIC_PROTECTED,
        `${name} is one of the pipeline's topics; what is written there feeds the processors (force=true, admins only)`,
      );
    }
    if (request.partition !== undefined) this.partition(state, request.partition);
    const result = await this.repository.produce(name, {
      key: request.key ?? null,
      value: typeof request.value === 'string' ? request.value : JSON.stringify(request.value),
      headers: testMessageHeaders(request.headers ?? {}, pipeline ? new Date() : null),
      ...(request.partition === undefined ? {} : { partition: request.partition }),
    });
    return { topic: name, ...result };
  }

  private partition(state: TopicState, partition: number) {
    const found = state.partitions.find((entry) => entry.partition === partition);
    if (!found) {
      throw new TopicException(
        TopicExceptionCode.UNKNOWN_PARTITION,
        `${state.name} has partitions 0 to ${state.partitions.length - 1}, not ${partition}`,
        [{ field: 'partition', message: `at most ${state.partitions.length - 1}` }],
      );
    }
    return found;
  }
}

const PIPELINE_HEADERS = new Set<string>(Object.values(RawUserHeaders));

/**
 * The caller's headers without the pipeline's own, which say where a record came from and when; into a
 * pipeline topic (`producedAt` set), the server's own say so: from the API, at that time, in no run.
 */
export function testMessageHeaders(
  headers: Record<string, string>,
  producedAt: Date | null,
): Record<string, string> {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !PIPELINE_HEADERS.has(name.toLowerCase())),
  );
  if (!producedAt) return kept;
  return { ...kept, [RawUserHeaders.source]: 'api', [RawUserHeaders.ingestedAt]: producedAt.toISOString() };
}
