'use client';

import { KafkaTopics, type TailBatch, type TopicSummary } from '@userstream/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { controlClass, Field } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { listTopics } from '@/lib/api/topics';
import { formatCount, formatDateTime } from '@/lib/format';
import { useLiveSocket } from '@/lib/live/live-provider';
import type { LiveSocket } from '@/lib/live/socket';
import { TailFeed, useTailSnapshot } from '@/lib/live/tail-feed';

/** Rows rendered at most: the buffer is bounded, and so is what is drawn of it. */
const SHOWN = 200;

const deadLetters = (topic: TopicSummary) => topic.name.endsWith(KafkaTopics.deadLetters);

/**
 * This pipeline's dead-letter topic first (whatever its prefix), then its other topics, then other pipelines'
 * dead letters sharing the cluster, then the rest by name.
 */
export function tailOrder(topics: TopicSummary[]): TopicSummary[] {
  const rank = (topic: TopicSummary) =>
    topic.pipeline ? (deadLetters(topic) ? 0 : 1) : deadLetters(topic) ? 2 : 3;
  return [...topics].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

const payloadText = (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

type TailStatus = { state: 'idle' | 'starting' | 'tailing' } | { state: 'error'; message: string };

/**
 * Follows one topic live (the `topic` URL parameter; the dead-letter topic when none): the server starts a
 * consumer at the topic's end while someone watches. Messages go into a bounded buffer outside React, drawn at
 * most once per frame; pausing freezes the view while they keep being counted.
 */
export function TopicTail() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [topics, setTopics] = useState<{ items?: TopicSummary[]; error?: string }>({});
  const [status, setStatus] = useState<TailStatus>({ state: 'idle' });
  const [feed] = useState(() => new TailFeed(500));
  const snapshot = useTailSnapshot(feed);
  const socketRef = useRef<LiveSocket | undefined>(undefined);

  useEffect(() => {
    listTopics({ page: 1, pageSize: 200 }).then(
      (list) => setTopics({ items: tailOrder(list.items) }),
      (failure: unknown) =>
        setTopics({ error: failure instanceof Error ? failure.message : String(failure) }),
    );
  }, []);

  const topic = params.get('topic') ?? topics.items?.[0]?.name;
  const topicRef = useRef(topic);
  topicRef.current = topic;

  const start = useCallback((name: string | undefined) => {
    const socket = socketRef.current;
    if (!socket?.connected || !name) {
      return;
    }
    setStatus({ state: 'starting' });
    socket.emit('tail:subscribe', { topic: name }, (result) => {
      if (topicRef.current !== name) {
        return;
      }
      setStatus(result.ok ? { state: 'tailing' } : { state: 'error', message: result.error.message });
    });
  }, []);

  useLiveSocket(
    useCallback(
      (socket) => {
        socketRef.current = socket;
        const onBatch = (batch: TailBatch) => {
          // a batch of the previous topic may still be on its way after a change
          if (batch.topic === topicRef.current) {
            feed.push(batch);
          }
        };
        const onConnect = () => start(topicRef.current);
        socket.on('tail:messages', onBatch);
        socket.on('connect', onConnect);
        return () => {
          socket.off('tail:messages', onBatch);
          socket.off('connect', onConnect);
          socket.emit('tail:unsubscribe');
          socketRef.current = undefined;
        };
      },
      [feed, start],
    ),
  );

  useEffect(() => {
    feed.clear();
    start(topic);
  }, [feed, start, topic]);

  const choose = (name: string) => {
    const url = new URLSearchParams(params);
    url.set('topic', name);
    router.replace(`${pathname}?${url}`, { scroll: false });
  };

  if (topics.error) {
    return <ErrorNotice title="Topics unavailable">{topics.error}</ErrorNotice>;
  }
  if (!topics.items) {
    return <SkeletonRows rows={6} label="Loading topics" />;
  }
  if (topics.items.length === 0 || !topic) {
    return <EmptyState title="No topics to tail">Create one first.</EmptyState>;
  }

  const rows = Array.from({ length: Math.min(snapshot.size, SHOWN) }, (_, index) => feed.row(index)).filter(
    (message) => message !== undefined,
  );
  return (
    <Card className="space-y-4" data-testid="tail" data-topic={topic} data-state={status.state}>
      <div className="flex flex-wrap items-end gap-3">
        <Field id="tail-topic" label="Topic" className="min-w-64">
          {(props) => (
            <select
              {...props}
              value={topic}
              onChange={(event) => choose(event.target.value)}
              className={controlClass}
            >
              {topics.items?.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.name}
                  {deadLetters(item) ? ' (dead letters)' : ''}
                </option>
              ))}
              {!topics.items?.some((item) => item.name === topic) && <option value={topic}>{topic}</option>}
            </select>
          )}
        </Field>
        <Button
          data-testid="tail-pause"
          onClick={() => (snapshot.paused ? feed.resume() : feed.pause())}
          disabled={status.state !== 'tailing'}
        >
          {snapshot.paused ? `Resume (${formatCount(snapshot.newWhilePaused)} new)` : 'Pause'}
        </Button>
        <Button variant="ghost" onClick={() => feed.clear()}>
          Clear
        </Button>
      </div>
      <p
        role="status"
        className="flex flex-wrap gap-3 text-xs text-slate-500 dark:text-slate-400"
        data-testid="tail-status"
      >
        <span>
          {status.state === 'tailing'
            ? 'Tailing: new messages appear as they are written'
            : status.state === 'starting'
              ? 'Starting at the end of the topic…'
              : status.state === 'error'
                ? 'Not tailing'
                : 'Waiting for the live connection…'}
        </span>
        <span>{formatCount(snapshot.received)} received</span>
        {snapshot.dropped > 0 && (
          <span className="text-amber-700 dark:text-amber-300">
            {formatCount(snapshot.dropped)} skipped by the server (too many at once)
          </span>
        )}
        {snapshot.masked && <span>personal fields masked as ***</span>}
        <span>keeps the latest {feed.capacity}</span>
      </p>
      {status.state === 'error' && <ErrorNotice title="Tail refused">{status.message}</ErrorNotice>}
      {rows.length === 0 ? (
        <EmptyState title="Nothing new yet">Messages written to {topic} from now on show here.</EmptyState>
      ) : (
        <ol className="space-y-1" aria-label="Tailed messages">
          {rows.map((message) => (
            <li
              key={`${message.partition}-${message.offset}`}
              data-testid="tail-message"
              className="grid grid-cols-[auto_auto_1fr] gap-x-3 rounded border border-slate-200 px-2 py-1 font-mono text-xs dark:border-slate-800"
            >
              <span className="text-slate-500 tabular-nums">
                p{message.partition}@{message.offset}
              </span>
              <span className="text-slate-500">
                {message.timestamp ? formatDateTime(message.timestamp) : '—'}
              </span>
              <span className="truncate" data-testid="tail-message-key">
                {message.key ? payloadText(message.key.data) : '—'}{' '}
                <span className="text-slate-600 dark:text-slate-300">
                  {message.value ? payloadText(message.value.data).slice(0, 200) : 'null'}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
