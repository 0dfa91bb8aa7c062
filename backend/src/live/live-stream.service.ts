import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  LIVE_BATCH_CAP,
  LIVE_BATCH_INTERVAL_MS,
  type LiveFilter,
  type LiveUsersBatch,
  StoredUser,
} from '@userstream/contracts';
import { maskStoredUser } from '#src/common/index.js';
import { BatchSampler, samplingRatio } from './batch-sampler.js';
import { IngestLatency } from './ingest-latency.js';
import { LiveEmitter } from './live.emitter.js';

/** A processed record as it arrived; parsed only when a filter needs its fields or it is sent. */
interface PendingRecord {
  raw: Buffer;
  parsed: Record<string, unknown> | null | undefined;
}

interface Subscription {
  room: string;
  filter: LiveFilter;
  /** Personal fields masked (everyone but an admin who asked at the handshake). */
  masked: boolean;
  sockets: Set<string>;
  sampler: BatchSampler<PendingRecord>;
}

function parse(record: PendingRecord): Record<string, unknown> | null {
  if (record.parsed === undefined) {
    try {
      const value: unknown = JSON.parse(record.raw.toString('utf8'));
      record.parsed = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      record.parsed = null;
    }
  }
  return record.parsed;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : undefined);

function matches({ country, runId }: LiveFilter, record: PendingRecord): boolean {
  if (country === undefined && runId === undefined) {
    return true;
  }
  const user = parse(record);
  if (!user) {
    return false;
  }
  if (runId !== undefined && user.runId !== runId) {
    return false;
  }
  if (country !== undefined) {
    const wanted = country.toLowerCase();
    if (lower(user.country) !== wanted && lower(user.nat) !== wanted) {
      return false;
    }
  }
  return true;
}

/**
 * The `users` stream: every processed record is offered to each subscription whose filter it matches;
 * every `LIVE_BATCH_INTERVAL_MS` each subscription's room gets one batch of at most `LIVE_BATCH_CAP`
 * users (a uniform sample above the cap, saying so), personal fields masked unless the subscription is an
 * admin's unmasked one. Clients with the same filter and view share a room, so a batch is sampled, masked and
 * serialised once for all of them.
 */
@Injectable()
export class LiveStreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveStreamService.name);
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly roomBySocket = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private received = 0;
  private invalid = 0;
  private readonly latency = new IngestLatency();

  constructor(private readonly emitter: LiveEmitter) {}

  /** Processed records seen since this instance started (for the stream rate). */
  get receivedTotal(): number {
    return this.received;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), LIVE_BATCH_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Starts or replaces a socket's subscription; returns the room to join and the one to leave. */
  subscribe(
    socketId: string,
    filter: LiveFilter,
    { masked }: { masked: boolean },
  ): { room: string; left: string | undefined } {
    const view = masked ? 'masked' : 'unmasked';
    const room = `users:${view}:${JSON.stringify([filter.country?.toLowerCase() ?? null, filter.runId ?? null])}`;
    const left = this.unsubscribe(socketId);
    let subscription = this.subscriptions.get(room);
    if (!subscription) {
      subscription = { room, filter, masked, sockets: new Set(), sampler: new BatchSampler(LIVE_BATCH_CAP) };
      this.subscriptions.set(room, subscription);
    }
    subscription.sockets.add(socketId);
    this.roomBySocket.set(socketId, room);
    return { room, left: left === room ? undefined : left };
  }

  /** Returns the room the socket was in, if any. */
  unsubscribe(socketId: string): string | undefined {
    const room = this.roomBySocket.get(socketId);
    if (room === undefined) {
      return undefined;
    }
    this.roomBySocket.delete(socketId);
    const subscription = this.subscriptions.get(room);
    subscription?.sockets.delete(socketId);
    if (subscription?.sockets.size === 0) {
      this.subscriptions.delete(room);
    }
    return room;
  }

  /** Ingest-to-stored latency percentiles since the last call (null: no record to measure). */
  drainLatency(): { p50: number; p99: number } | null {
    return this.latency.drain();
  }

  /** One record of the processed topic (its raw value and Kafka timestamp, epoch ms). */
  add(value: Buffer | null, timestamp?: number): void {
    this.received += 1;
    if (value && timestamp !== undefined) {
      this.latency.offer(value, timestamp);
    }
    if (!value || this.subscriptions.size === 0) {
      return;
    }
    const record: PendingRecord = { raw: value, parsed: undefined };
    for (const subscription of this.subscriptions.values()) {
      if (matches(subscription.filter, record)) {
        subscription.sampler.offer(record);
      }
    }
  }

  /** Sends each subscription the batch of the interval that just ended. */
  flush(): void {
    const at = new Date().toISOString();
    for (const subscription of this.subscriptions.values()) {
      const { items, total } = subscription.sampler.drain();
      if (total === 0) {
        continue;
      }
      const users: StoredUser[] = [];
      for (const item of items) {
        const user = StoredUser.safeParse(parse(item));
        if (user.success) {
          users.push(subscription.masked ? maskStoredUser(user.data) : user.data);
        } else {
          this.invalid += 1;
        }
      }
      const batch: LiveUsersBatch = {
        at,
        filter: subscription.filter,
        users,
        masked: subscription.masked,
        sampled: samplingRatio(items.length, total),
        dropped: total - users.length,
        total,
      };
      this.emitter.toRoom(subscription.room, 'users', batch);
    }
    if (this.invalid > 0) {
      this.logger.warn(`${this.invalid} records of the processed topic are not StoredUser JSON; skipped`);
      this.invalid = 0;
    }
  }
}
