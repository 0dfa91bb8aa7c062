import { Injectable } from '@nestjs/common';
import {
  type BrowseMessagesQuery,
  type MessagePage,
  type ProducedMessage,
  type ProduceMessageRequest,
  RawUserHeaders,
} from '@userstream/contracts';
import {
  KafkaAdminRepository,
  type TopicState,
  TopicMessagesRepository,
  TopicException,
  TopicExceptionCode,
} from '#src/kafka/index.js';
import { orderMessages, planRanges } from './browse-plan.js';
import { presentMessage } from './message-codec.js';
import { isInternalTopic } from './topic-rules.js';
import { TopicsService } from './topics.service.js';
import { BrowseSlots } from './browse-slots.js';

/** A browse gives up after this long (joining the throwaway group included) and returns what it has. */
const BROWSE_TIMEOUT_MS = 6_000;

/** Reading a topic's messages for display, and producing test messages. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly topics: TopicsService,
    private readonly admin: KafkaAdminRepository,
    private readonly messages: TopicMessagesRepository,
    private readonly slots: BrowseSlots,
  ) {}

  async browse(name: string, query: BrowseMessagesQuery): Promise<MessagePage> {
    const state = await this.topics.require(name);
    const partitions =
      query.partition === undefined ? state.partitions : [requirePartition(state, query.partition)];
    // newest first from a timestamp: what was written up to and including that millisecond
    const boundary =
      query.timestamp === undefined
        ? undefined
        : await this.admin.offsetsForTimestamp(
            name,
            query.direction === 'forward' ? query.timestamp : query.timestamp + 1,
          );
    const ranges = planRanges(partitions, query, boundary);
    const page = { topic: name, direction: query.direction, masked: !query.unmasked };
    if (ranges.length === 0) {
      return { ...page, stoppedBy: 'end', items: [] };
    }
    const read = await this.slots.run(() =>
      this.messages.readRanges(name, ranges, { maxBytes: query.maxBytes, timeoutMs: BROWSE_TIMEOUT_MS }),
    );
    const ordered = orderMessages(read.messages, query.direction, query.limit);
    return {
      ...page,
      stoppedBy: ordered.length === query.limit ? 'limit' : read.stoppedBy,
      items: ordered.map((message) => presentMessage(message, !query.unmasked)),
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
    if (request.partition !== undefined) {
      requirePartition(state, request.partition);
    }
    const result = await this.messages.produce(name, {
      key: request.key ?? null,
      value: typeof request.value === 'string' ? request.value : JSON.stringify(request.value),
      headers: testMessageHeaders(request.headers ?? {}, pipeline ? new Date() : null),
      ...(request.partition === undefined ? {} : { partition: request.partition }),
    });
    return { topic: name, ...result };
  }
}

/** The partition of a topic, or a 400 UNKNOWN_PARTITION. */
export function requirePartition(state: TopicState, partition: number) {
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
  if (!producedAt) {
    return kept;
  }
  return { ...kept, [RawUserHeaders.source]: 'api', [RawUserHeaders.ingestedAt]: producedAt.toISOString() };
}
