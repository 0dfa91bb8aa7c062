'use client';

import type { BrowsedMessage, TailBatch } from '@userstream/contracts';
import { useSyncExternalStore } from 'react';
import { RingBuffer } from './ring-buffer';

export interface TailSnapshot {
  /** Messages available to show (newest first). */
  size: number;
  paused: boolean;
  /** Messages that arrived since the pause. */
  newWhilePaused: number;
  /** Messages received, and those the server left out of its batches (above its cap). */
  received: number;
  dropped: number;
  masked: boolean;
  version: number;
}

const EMPTY: TailSnapshot = {
  size: 0,
  paused: false,
  newWhilePaused: 0,
  received: 0,
  dropped: 0,
  masked: true,
  version: 0,
};

/**
 * The latest messages of a tailed topic, outside React: a bounded ring buffer, subscribers told at most once
 * per animation frame. Pausing freezes what is shown and counts what arrives meanwhile.
 */
export class TailFeed {
  private readonly ring: RingBuffer<BrowsedMessage>;
  private frozen: BrowsedMessage[] | undefined;
  private readonly listeners = new Set<() => void>();
  private frame: number | undefined;
  private snapshot = EMPTY;
  private counts = { received: 0, dropped: 0, newWhilePaused: 0, masked: true };

  constructor(readonly capacity = 500) {
    this.ring = new RingBuffer(capacity);
  }

  push(batch: TailBatch): void {
    for (const message of batch.items) {
      this.ring.push(message);
    }
    this.counts.received += batch.items.length;
    this.counts.dropped += batch.dropped;
    this.counts.masked = batch.masked;
    if (this.frozen) {
      this.counts.newWhilePaused += batch.items.length;
    }
    this.schedule();
  }

  /** Row `index` of what is shown, newest first. */
  row(index: number): BrowsedMessage | undefined {
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
    this.counts.newWhilePaused = 0;
    this.schedule();
  }

  clear(): void {
    this.ring.clear();
    this.frozen = undefined;
    this.counts = { received: 0, dropped: 0, newWhilePaused: 0, masked: true };
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

  getSnapshot = (): TailSnapshot => this.snapshot;

  private schedule(): void {
    if (this.frame !== undefined || typeof requestAnimationFrame === 'undefined') {
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.snapshot = {
        ...this.counts,
        size: this.frozen ? this.frozen.length : this.ring.size,
        paused: this.frozen !== undefined,
        version: this.snapshot.version + 1,
      };
      this.listeners.forEach((listener) => listener());
    });
  }
}

/** Re-renders at most once per animation frame, whatever the rate of messages. */
export function useTailSnapshot(feed: TailFeed): TailSnapshot {
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot, () => EMPTY);
}
