'use client';

import type { LiveUsersBatch, StoredUser } from '@userstream/contracts';
import { useSyncExternalStore } from 'react';
import { RingBuffer } from './ring-buffer';

/** How long a sampled batch keeps the "sampled" notice up. */
const SAMPLED_NOTICE_MS = 3_000;

export interface FeedSnapshot {
  /** Rows available to show (newest first). */
  size: number;
  paused: boolean;
  /** Rows that arrived since the pause. */
  newWhilePaused: number;
  /** Users matching the filter that the server counted, shown or not. */
  matched: number;
  /** Users received and kept in the buffer. */
  received: number;
  /** N of "1 in N" of the latest sampled batch, while recent; 1 when nothing is being sampled. */
  sampled: number;
  /** Changes on every flush, so a consumer re-renders even when `size` is at capacity. */
  version: number;
}

/**
 * The latest users, outside React: batches go into a bounded ring buffer and subscribers are told at
 * most once per animation frame (none while the tab is hidden). Pausing freezes what is shown and
 * counts what arrives meanwhile.
 */
export class UserFeed {
  private readonly ring: RingBuffer<StoredUser>;
  private frozen: StoredUser[] | undefined;
  private readonly listeners = new Set<() => void>();
  private frame: number | undefined;
  private sampledAt = 0;
  private sampledTimer: ReturnType<typeof setTimeout> | undefined;
  private snapshot: FeedSnapshot = {
    size: 0,
    paused: false,
    newWhilePaused: 0,
    matched: 0,
    received: 0,
    sampled: 1,
    version: 0,
  };
  private pending = { matched: 0, received: 0, newWhilePaused: 0, sampled: 1 };

  constructor(readonly capacity = 5_000) {
    this.ring = new RingBuffer(capacity);
  }

  push(batch: LiveUsersBatch): void {
    for (const user of batch.users) {
      this.ring.push(user);
    }
    this.pending.matched += batch.total;
    this.pending.received += batch.users.length;
    if (this.frozen) {
      this.pending.newWhilePaused += batch.users.length;
    }
    if (batch.sampled > 1) {
      this.pending.sampled = batch.sampled;
      this.sampledAt = Date.now();
      // take the notice down once sampling stops, even if no batch follows
      clearTimeout(this.sampledTimer);
      this.sampledTimer = setTimeout(() => this.schedule(), SAMPLED_NOTICE_MS + 100);
    }
    this.schedule();
  }

  /** Row `index` of what is shown, newest first. */
  row(index: number): StoredUser | undefined {
    return this.frozen ? this.frozen[index] : this.ring.newest(index);
  }

  pause(): void {
    if (this.frozen) {
      return;
    }
    this.frozen = this.ring.toArray();
    this.schedule();
  }

  resume(): void {
    this.frozen = undefined;
    this.pending.newWhilePaused = 0;
    this.schedule();
  }

  clear(): void {
    this.ring.clear();
    this.frozen = undefined;
    this.pending = { matched: 0, received: 0, newWhilePaused: 0, sampled: 1 };
    this.schedule();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.frame !== undefined) {
        cancelAnimationFrame(this.frame);
        this.frame = undefined;
      }
    };
  };

  getSnapshot = (): FeedSnapshot => this.snapshot;

  private schedule(): void {
    if (this.frame !== undefined || typeof requestAnimationFrame === 'undefined') {
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (Date.now() - this.sampledAt > SAMPLED_NOTICE_MS) {
        this.pending.sampled = 1;
      }
      this.snapshot = {
        size: this.frozen ? this.frozen.length : this.ring.size,
        paused: this.frozen !== undefined,
        newWhilePaused: this.pending.newWhilePaused,
        matched: this.pending.matched,
        received: this.pending.received,
        sampled: this.pending.sampled,
        version: this.snapshot.version + 1,
      };
      this.listeners.forEach((listener) => listener());
    });
  }
}

const serverSnapshot: FeedSnapshot = {
  size: 0,
  paused: false,
  newWhilePaused: 0,
  matched: 0,
  received: 0,
  sampled: 1,
  version: 0,
};

/** Re-renders at most once per animation frame, whatever the rate of records. */
export function useFeedSnapshot(feed: UserFeed): FeedSnapshot {
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot, () => serverSnapshot);
}
