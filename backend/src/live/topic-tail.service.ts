import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { TAIL_BATCH_CAP, TAIL_BATCH_INTERVAL_MS, type TailErrorCode } from '@userstream/contracts';
import { presentMessage } from '#src/topics/index.js';
import {
  TopicException,
  TopicExceptionCode,
  type RawMessage,
  TopicMessagesRepository,
} from '#src/kafka/index.js';
import { LiveEmitter } from './live.emitter.js';

/** Topics tailed at once per process: each is a Kafka consumer of its own. */
export const MAX_TAILED_TOPICS = 8;

/** A tail refused or failed, with the code the client gets. */
export class TailError extends Error {
  constructor(
    readonly code: TailErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Positions = { partition: number; offset: number }[];

interface Tail {
  topic: string;
  /** Socket id -> whether it gets messages masked. */
  watchers: Map<string, boolean>;
  opened: Promise<Positions>;
  close?: () => Promise<void>;
  /** Read since the last batch, at most TAIL_BATCH_CAP (the newest), and how many older ones were left out. */
  buffer: RawMessage[];
  dropped: number;
  stopped: boolean;
}

export const tailRoom = (topic: string, masked: boolean) => `tail:${masked ? 'masked' : 'unmasked'}:${topic}`;

function tailErrorOf(error: unknown): TailError {
  if (error instanceof TailError) {
    return error;
  }
  if (error instanceof TopicException) {
    const code: TailErrorCode =
      error.code === TopicExceptionCode.TOPIC_NOT_FOUND
        ? 'TOPIC_NOT_FOUND'
        : error.code === TopicExceptionCode.KAFKA_UNAVAILABLE
          ? 'KAFKA_UNAVAILABLE'
          : 'KAFKA_ERROR';
    return new TailError(code, error.message);
  }
  return new TailError('KAFKA_ERROR', error instanceof Error ? error.message : String(error));
}

/**
 * Live tails of topics for the `/live` namespace: one Kafka consumer per tailed topic, shared by everyone
 * watching it, started at the topic's end when the first client asks and stopped when the last one leaves
 * (its group, hidden like the browsers', is deleted). Every `TAIL_BATCH_INTERVAL_MS` the messages read are
 * sent to the topic's rooms, masked for all but admins who connected unmasked; above `TAIL_BATCH_CAP` only
 * the newest are sent and the batch says how many were dropped.
 */
@Injectable()
export class TopicTailService implements OnModuleDestroy {
  private readonly logger = new Logger(TopicTailService.name);
  private readonly tails = new Map<string, Tail>();
  private readonly topicOf = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repository: TopicMessagesRepository,
    private readonly emitter: LiveEmitter,
  ) {
    this.timer = setInterval(() => this.flush(), TAIL_BATCH_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Starts (or joins) the tail of `topic` for a socket, leaving the one it had. The socket should join `room`
   * (and leave `left`) at once; `ready` resolves with where the tail started, or rejects with a TailError.
   */
  subscribe(
    socketId: string,
    topic: string,
    { masked }: { masked: boolean },
  ): { room: string; left: string | undefined; ready: Promise<Positions> } {
    const left = this.topicOf.get(socketId) === topic ? undefined : this.unsubscribe(socketId);
    let tail = this.tails.get(topic);
    if (!tail) {
      if (this.tails.size >= MAX_TAILED_TOPICS) {
        const error = new TailError(
          'TOO_MANY_TAILS',
          `${MAX_TAILED_TOPICS} topics are tailed on this server; stop one or retry later`,
        );
        return { room: tailRoom(topic, masked), left, ready: Promise.reject(error) };
      }
      tail = this.open(topic);
    }
    tail.watchers.set(socketId, masked);
    this.topicOf.set(socketId, topic);
    const opened = tail;
    const ready = opened.opened.catch((error: unknown) => {
      if (this.topicOf.get(socketId) === topic) {
        this.topicOf.delete(socketId);
      }
      opened.watchers.delete(socketId);
      throw tailErrorOf(error);
    });
    return { room: tailRoom(topic, masked), left, ready };
  }

  /** Stops a socket's tail; the room it should leave, if any. The last watcher's leaving stops the consumer. */
  unsubscribe(socketId: string): string | undefined {
    const topic = this.topicOf.get(socketId);
    if (topic === undefined) {
      return undefined;
    }
    this.topicOf.delete(socketId);
    const tail = this.tails.get(topic);
    const masked = tail?.watchers.get(socketId) ?? true;
    tail?.watchers.delete(socketId);
    if (tail && tail.watchers.size === 0) {
      void this.stop(tail);
    }
    return tailRoom(topic, masked);
  }

  /** Topics tailed now (for tests and logs). */
  tailedTopics(): string[] {
    return [...this.tails.keys()];
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.tails.values()].map((tail) => this.stop(tail)));
  }

  private open(topic: string): Tail {
    const buffered = { buffer: [] as RawMessage[], dropped: 0, stopped: false };
    const watchers = new Map<string, boolean>();
    const opened = this.repository
      .tail(topic, (messages) => this.receive(tail, messages))
      .then(({ positions, close }) => {
        // closed by `stop`, which waits for this, should everyone have left meanwhile
        tail.close = close;
        return positions;
      })
      .catch((error: unknown) => {
        if (this.tails.get(topic) === tail) {
          this.tails.delete(topic);
        }
        tail.stopped = true;
        throw error;
      });
    const tail: Tail = { topic, watchers, opened, ...buffered };
    this.tails.set(topic, tail);
    return tail;
  }

  private receive(tail: Tail, messages: RawMessage[]): void {
    if (tail.stopped) {
      return;
    }
    tail.buffer.push(...messages);
    const over = tail.buffer.length - TAIL_BATCH_CAP;
    if (over > 0) {
      tail.buffer.splice(0, over);
      tail.dropped += over;
    }
  }

  private flush(): void {
    for (const tail of this.tails.values()) {
      if (tail.buffer.length === 0 && tail.dropped === 0) {
        continue;
      }
      const messages = tail.buffer;
      const dropped = tail.dropped;
      tail.buffer = [];
      tail.dropped = 0;
      for (const masked of new Set(tail.watchers.values())) {
        this.emitter.toRoom(tailRoom(tail.topic, masked), 'tail:messages', {
          topic: tail.topic,
          masked,
          items: messages.map((message) => presentMessage(message, masked)),
          dropped,
        });
      }
    }
  }

  private async stop(tail: Tail): Promise<void> {
    if (this.tails.get(tail.topic) === tail) {
      this.tails.delete(tail.topic);
    }
    tail.stopped = true;
    tail.buffer = [];
    try {
      await tail.opened;
      await tail.close?.();
    } catch (error) {
      this.logger.debug(
        `tail of ${tail.topic} ended: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
