import { Injectable } from '@nestjs/common';
import type { ConsumerState, OwnedPartition } from './kafka-batch.server.js';

/** How long writes may keep failing, with none succeeding, before the processor reports itself not ready. */
export const WRITE_FAILURE_GRACE_MS = 30_000;

/** What readiness looks at: the consumer's membership and the outcome of the latest Cassandra writes. */
export interface ProcessorSnapshot {
  joined: boolean;
  partitions: OwnedPartition[];
  lastWriteOkAt: number | undefined;
  lastWriteFailedAt: number | undefined;
  /** The first failure since the last success: how long writes have been failing. */
  failingSince: number | undefined;
}

export interface ProcessorReadiness {
  ready: boolean;
  /** Its partitions, each with its lag, records in flight, pause and last fetch: who reads what, and how. */
  consumer: { joined: boolean; assignedPartitions: number; partitions: OwnedPartition[] };
  writes: { status: 'idle' | 'ok' | 'failing'; lastOkAt: string | null; failingSinceMs: number | null };
  reasons: string[];
}

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

/**
 * Ready when both hold:
 * - the consumer is a member of its group (joined since its last start; a member may own no partition when the
 *   group has more members than partitions, and is still ready to take some at the next rebalance);
 * - Cassandra takes its writes: no write attempted yet, the latest one succeeded, or they have been failing for
 *   less than WRITE_FAILURE_GRACE_MS (a retried timeout is not an outage). An idle processor stays ready.
 */
export function readinessOf(state: ProcessorSnapshot, now: number): ProcessorReadiness {
  const reasons: string[] = [];
  if (!state.joined) {
    reasons.push('the Kafka consumer has not joined its group');
  }
  const failing =
    state.lastWriteFailedAt !== undefined &&
    (state.lastWriteOkAt === undefined || state.lastWriteFailedAt > state.lastWriteOkAt);
  const failingForMs = failing && state.failingSince !== undefined ? now - state.failingSince : null;
  if (failingForMs !== null && failingForMs >= WRITE_FAILURE_GRACE_MS) {
    reasons.push(`Cassandra writes have been failing for ${Math.round(failingForMs / 1000)} s`);
  }
  const idle = state.lastWriteOkAt === undefined && state.lastWriteFailedAt === undefined;
  return {
    ready: reasons.length === 0,
    consumer: {
      joined: state.joined,
      assignedPartitions: state.partitions.length,
      partitions: state.partitions,
    },
    writes: {
      status: idle ? 'idle' : failing ? 'failing' : 'ok',
      lastOkAt: iso(state.lastWriteOkAt),
      failingSinceMs: failingForMs,
    },
    reasons,
  };
}

/** The processor's own view of its health: fed by the write path, reading the consumer it is given. */
@Injectable()
export class ProcessorStatus {
  private consumer: ConsumerState | undefined;
  private lastWriteOkAt: number | undefined;
  private lastWriteFailedAt: number | undefined;
  private failingSince: number | undefined;

  watchConsumer(consumer: ConsumerState): void {
    this.consumer = consumer;
  }

  writeSucceeded(now = Date.now()): void {
    this.lastWriteOkAt = now;
    this.failingSince = undefined;
  }

  writeFailed(now = Date.now()): void {
    this.lastWriteFailedAt = now;
    this.failingSince ??= now;
  }

  readiness(now = Date.now()): ProcessorReadiness {
    return readinessOf(
      {
        joined: this.consumer?.joined() ?? false,
        partitions: this.consumer?.ownedPartitions() ?? [],
        lastWriteOkAt: this.lastWriteOkAt,
        lastWriteFailedAt: this.lastWriteFailedAt,
        failingSince: this.failingSince,
      },
      now,
    );
  }
}
