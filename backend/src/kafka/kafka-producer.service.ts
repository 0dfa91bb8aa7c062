import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  compatibilityPartitioner,
  ProduceAcks,
  Producer as PlatformaticProducer,
  stringSerializer,
} from '@platformatic/kafka';
import {
  CompressionTypes,
  type ICustomPartitioner,
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type ProducerConfig,
  type RecordMetadata,
} from 'kafkajs';
import { AppConfig } from '#src/config/index.js';
import { KAFKA } from './kafka.client.js';

/**
 * Bytes of keys, values and headers per produce request. Under Kafka's default message.max.bytes (1 MB) even
 * when every record of a request lands in one partition's batch, with room for the per-record framing.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;
/** Produce requests of `sendUnordered` in flight at once, over all its callers. */
export const UNORDERED_IN_FLIGHT = 4;
/** Varints, attributes and deltas kafkajs adds to each record. */
const RECORD_OVERHEAD_BYTES = 24;

// bounded, so a broker outage fails a send with a clear error instead of hanging forever
const RETRY = { retries: 12, initialRetryTime: 300, maxRetryTime: 10_000 };
// records an operator sends by hand: an unknown topic is answered within seconds
const ANY_TOPIC_RETRY = { retries: 3, initialRetryTime: 300, maxRetryTime: 2_000 };

type ProducerKind = 'idempotent' | 'anyTopic';

/** Sends again of records that no broker acknowledged, before a send gives up. */
const RESENDS = 5;

/**
 * kafkajs's default placement (by key, else round robin), written onto the message: every attempt of a send,
 * and any resend of the message, goes to the partition it was placed on first.
 */
export const pinPartitions: ICustomPartitioner = () => {
  const place = Partitioners.DefaultPartitioner();
  return (args) => (args.message.partition ??= place(args));
};

/**
 * Sends `messages` and resolves once a broker has acknowledged every one of them. kafkajs retries a failed send
 * only to the brokers that have not answered yet, with partitions placed by fresh metadata: the records of a
 * partition whose leader moved to a broker that had already answered are never sent, and the send resolves all
 * the same (a broker lost mid-run lost users this way). So the records of any partition missing from the
 * answers are sent again, to the partition they were pinned to.
 */
export async function sendAcknowledged(
  producer: Pick<Producer, 'send'>,
  topic: string,
  messages: Message[],
  onResend: (records: number, partitions: number[]) => void = () => undefined,
): Promise<RecordMetadata[]> {
  const answers: RecordMetadata[] = [];
  // copies: the pinned partition belongs to this topic, not to the caller's message
  let pending = messages.map((message) => ({ ...message }));
  for (let resends = 0; ; resends++) {
    const sent = await producer.send({
      topic,
      messages: pending,
      acks: -1,
      compression: CompressionTypes.None,
    });
    answers.push(...sent);
    const written = new Set(
      sent.filter(({ errorCode }) => errorCode === 0).map(({ partition }) => partition),
    );
    pending = pending.filter(({ partition }) => !written.has(partition!));
    if (pending.length === 0) {
      return answers;
    }
    const partitions = [...new Set(pending.map(({ partition }) => partition!))].sort((a, b) => a - b);
    if (resends === RESENDS) {
      throw new Error(
        `Kafka acknowledged none of ${pending.length} records for ${topic} partitions ${partitions.join(', ')}`,
      );
    }
    onResend(pending.length, partitions);
  }
}

/** Whether kafkajs failed (maybe after its retries) with a broker error of one of `types`. */
function hasErrorType(error: unknown, types: readonly string[]): boolean {
  for (let at: unknown = error; at; at = (at as { cause?: unknown }).cause) {
    if (types.includes((at as { type?: string }).type ?? '')) {
      return true;
    }
  }
  return false;
}

const isUnknownTopic = (error: unknown) => hasErrorType(error, ['UNKNOWN_TOPIC_OR_PARTITION']);

/**
 * Errors after which an idempotent producer never succeeds again: its sequence numbers no longer match the
 * broker's (seen after a broker was lost and came back). Only a new producer id gets past them.
 */
const PRODUCER_STATE_LOST = [
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
];

function size(value: Message['value'] | Message['key']): number {
  if (value === null || value === undefined) {
    return 0;
  }
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** A record's bytes on the wire, near enough to size requests. */
export function wireBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + size(message.key) + size(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      bytes += name.length + 2 + size(one);
    }
  }
  return bytes;
}

/** Consecutive runs of `messages` of at most `maxBytes` each (a larger single record goes alone). */
export function chunkByBytes<T extends Message>(messages: T[], maxBytes = MAX_REQUEST_BYTES): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const next = wireBytes(messages[i]!);
    if (i > start && bytes + next > maxBytes) {
      chunks.push(messages.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += next;
  }
  if (start < messages.length) {
    chunks.push(messages.slice(start));
  }
  return chunks;
}

/** The runs' producer: keys and headers as strings, values as the bytes the source encoded. */
export type BulkProducer = PlatformaticProducer<string, Buffer, string, string>;

/** Not idempotent, acks=all, placing keys as kafkajs does; connects on its first send. */
export function createBulkProducer(clientId: string, brokers: string[]): BulkProducer {
  return new PlatformaticProducer({
    clientId,
    bootstrapBrokers: brokers,
    acks: ProduceAcks.ALL,
    idempotent: false,
    autocreateTopics: false,
    partitioner: compatibilityPartitioner,
    serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
    maxInflights: UNORDERED_IN_FLIGHT,
    // as the kafkajs client: a loaded broker may take seconds to connect or to answer acks=all
    connectTimeout: 5_000,
    timeout: 30_000,
    // a broker outage is outlasted by the caller's retries, which send the whole chunk again
    retries: 3,
    retryDelay: 500,
  });
}

/** A run's record: the user's id as key (none for a seed-format record), its JSON bytes and the run's headers. */
export interface RunRecord {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** One request's records on the runs' producer; resolves with the partitions written. */
export async function sendRunRecords(
  producer: BulkProducer,
  topic: string,
  records: RunRecord[],
): Promise<number[]> {
  try {
    const { offsets = [] } = await producer.send({
      messages: records.map(({ key, value, headers }) => ({ topic, key: key ?? undefined, value, headers })),
    });
    return offsets.map(({ partition }) => partition);
  } catch (error) {
    throw bulkSendError(error);
  }
}

/**
 * The reason a bulk send failed. @platformatic/kafka wraps the socket's or the broker's answer, one per broker
 * request, under a generic message: the innermost errors are what an operator needs to read.
 */
export function bulkSendError(error: unknown): Error {
  const reasons = new Set<string>();
  const visit = (at: unknown): void => {
    if (!(at instanceof Error)) {
      return;
    }
    const { errors, code } = at as { errors?: unknown; code?: unknown };
    const inner: unknown[] = [
      ...(Array.isArray(errors) ? (errors as unknown[]) : []),
      ...(at.cause ? [at.cause] : []),
    ];
    if (inner.length === 0) {
      reasons.add(at.message || (typeof code === 'string' ? code : at.name));
    }
    inner.forEach(visit);
  };
  visit(error);
  const top = error instanceof Error ? error.message : String(error);
  reasons.delete(top);
  return new Error(reasons.size === 0 ? top : `${top} ${[...reasons].join('; ')}`, { cause: error });
}

/** A counting semaphore: at most `limit` holders at once, the others queue in order. */
class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Rejects with the signal's reason if it is aborted first: the caller never got a slot. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.used < this.limit) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        reject(signal!.reason as Error);
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
    } else {
      this.used--;
    }
  }
}

/**
 * The process's producers, connected lazily so a process that never produces opens no connection.
 * All wait for every in-sync replica (acks=all) and size requests by bytes.
 * - `send`: idempotent (processed users, dead letters): kafkajs then holds one request in flight per broker.
 * - `sendUnordered`: ingestion runs' bulk path: not idempotent, several requests in flight, on
 *   @platformatic/kafka, which encodes a record in about half of kafkajs's CPU time (the bench's case 1 has both).
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private readonly producers = new Map<ProducerKind, Promise<Producer>>();
  private bulk: BulkProducer | undefined;
  private readonly unorderedSlots = new Slots(UNORDERED_IN_FLIGHT);
  private readonly logger = new Logger(KafkaProducerService.name);

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {}

  /**
   * Resolves once every message is acknowledged by all in-sync replicas. Large batches go out in chunks:
   * one request over the broker's 1 MB message limit is refused, and a refused idempotent send leaves
   * the producer's sequence numbers out of order for every later send.
   */
  async send(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) {
      return [];
    }
    const producer = await this.connected('idempotent');
    const sends = chunkByBytes(messages).map((chunk) =>
      this.sendAcknowledged('idempotent', producer, topic, chunk),
    );
    return (await Promise.all(sends)).flat();
  }

  /**
   * As `send` (acks=all, resolves once all are acknowledged) with the partitions written, but requests of
   * different calls and chunks may overtake one another, and a retried request may write its records twice.
   * Chunks that have not started when `signal` aborts are dropped, and the call rejects. For records whose
   * consumer upserts by key and that never carry two versions of one key at once (a run's users). A key is
   * placed as kafkajs and Java clients place it; a record without one goes round robin.
   */
  async sendUnordered(topic: string, records: RunRecord[], signal?: AbortSignal): Promise<number[]> {
    if (records.length === 0) {
      return [];
    }
    this.bulk ??= createBulkProducer(`${this.config.kafka.clientId}-runs`, this.config.kafka.brokers);
    const producer = this.bulk;
    const sends = chunkByBytes(records).map(async (chunk) => {
      // a chunk still waiting for a request slot when `signal` aborts is never sent
      await this.unorderedSlots.acquire(signal);
      try {
        return await sendRunRecords(producer, topic, chunk);
      } finally {
        this.unorderedSlots.release();
      }
    });
    return [...new Set((await Promise.all(sends)).flat())];
  }

  /**
   * One record an operator sends to any topic (the topics page), on a producer of its own: a kafkajs producer
   * asks for every topic it ever wrote to at each metadata refresh, so once one of them is deleted every send
   * fails. This producer is replaced when that happens, and the pipeline's never meet such topics.
   */
  async sendToAnyTopic(topic: string, message: Message): Promise<RecordMetadata[]> {
    for (let attempt = 1; ; attempt++) {
      const producer = await this.connected('anyTopic');
      try {
        return await this.sendAcknowledged('anyTopic', producer, topic, [message]);
      } catch (error) {
        if (attempt > 1 || !isUnknownTopic(error)) {
          throw error;
        }
        // a topic this producer wrote to before may be gone: a new one asks only for `topic`
        await this.replace('anyTopic', producer);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const producers = await Promise.allSettled(this.producers.values());
    await Promise.all([
      ...producers.flatMap((result) => (result.status === 'fulfilled' ? [result.value.disconnect()] : [])),
      this.bulk?.close().catch(() => undefined),
    ]);
  }

  private async sendAcknowledged(
    kind: ProducerKind,
    producer: Producer,
    topic: string,
    messages: Message[],
  ): Promise<RecordMetadata[]> {
    try {
      return await sendAcknowledged(producer, topic, messages, (records, partitions) =>
        this.logger.warn(
          `${records} records for ${topic} partitions ${partitions.join(', ')} had no acknowledgement; sending them again`,
        ),
      );
    } catch (error) {
      if (hasErrorType(error, PRODUCER_STATE_LOST)) {
        this.logger.warn(`${(error as Error).message}: the ${kind} producer is replaced; the caller retries`);
        await this.replace(kind, producer);
      }
      throw error;
    }
  }

  /** The next send of this kind connects a new producer (if `producer` is still the current one). */
  private async replace(kind: ProducerKind, producer: Producer): Promise<void> {
    if ((await this.producers.get(kind)?.catch(() => undefined)) === producer) {
      this.producers.delete(kind);
    }
    await producer.disconnect().catch(() => undefined);
  }

  private connected(kind: ProducerKind): Promise<Producer> {
    let connecting = this.producers.get(kind);
    if (!connecting) {
      const common = { allowAutoTopicCreation: false, createPartitioner: pinPartitions };
      const configs: Record<ProducerKind, ProducerConfig> = {
        idempotent: { ...common, idempotent: true, maxInFlightRequests: 5, retry: RETRY },
        anyTopic: { ...common, idempotent: true, maxInFlightRequests: 1, retry: ANY_TOPIC_RETRY },
      };
      const config = configs[kind];
      connecting = (async () => {
        const producer = this.kafka.producer(config);
        await producer.connect();
        return producer;
      })();
      this.producers.set(kind, connecting);
      void connecting.catch(() => this.producers.delete(kind));
    }
    return connecting;
  }
}
