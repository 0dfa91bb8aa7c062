'use client';

import { LiveFilter, type LiveUsersBatch, type StoredUser } from '@userstream/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, type KeyboardEvent, useCallback, useRef, useState } from 'react';
import { UserDrawer } from '@/components/user-drawer';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { controlClass, Field } from '@/components/ui/field';
import { formatCount, formatTime, shortId } from '@/lib/format';
import { useLiveSocket } from '@/lib/live/live-provider';
import type { LiveSocket } from '@/lib/live/socket';
import { useFeedSnapshot, UserFeed } from '@/lib/live/user-feed';

const ROW_HEIGHT = 36;
const columns =
  'grid grid-cols-[4.5rem_minmax(0,1fr)_minmax(0,6rem)] sm:grid-cols-[5rem_minmax(0,1.2fr)_minmax(0,1.6fr)_minmax(0,1fr)_2.5rem_5rem] items-center gap-3 px-3';

function Row({
  user,
  index,
  top,
  onOpen,
}: {
  user: StoredUser | undefined;
  index: number;
  top: number;
  onOpen: (user: StoredUser) => void;
}) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (user && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      onOpen(user);
    }
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-testid="live-row"
      data-user-id={user?.id}
      tabIndex={user ? 0 : undefined}
      onClick={user ? () => onOpen(user) : undefined}
      onKeyDown={onKeyDown}
      className={`${columns} absolute inset-x-0 cursor-pointer border-b border-slate-100 text-sm hover:bg-slate-50 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:border-slate-800 dark:hover:bg-slate-800/60 dark:focus-visible:bg-indigo-950`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      {user ? (
        <>
          <span role="cell" className="text-xs text-slate-500 tabular-nums">
            {formatTime(user.processedAt)}
          </span>
          <span role="cell" className="truncate font-medium">
            {user.firstName} {user.lastName}
          </span>
          <span role="cell" className="hidden truncate text-slate-600 sm:block dark:text-slate-300">
            {user.email ?? '–'}
          </span>
          <span role="cell" className="truncate">
            {user.country ?? user.nat ?? '–'}
          </span>
          <span role="cell" className="hidden text-right tabular-nums sm:block">
            {user.age ?? '–'}
          </span>
          <span role="cell" className="hidden font-mono text-xs text-slate-500 sm:block">
            {user.runId ? shortId(user.runId) : '–'}
          </span>
        </>
      ) : null}
    </div>
  );
}

const sameFilter = (a: LiveFilter, b: LiveFilter) =>
  a.runId === b.runId && a.country?.toLowerCase() === b.country?.toLowerCase();

/**
 * The latest processed users. Batches go into a ring buffer outside React; the table re-renders at
 * most once per animation frame and only draws the rows in view.
 */
export function LiveUsers() {
  const [feed] = useState(() => new UserFeed(5_000));
  const snapshot = useFeedSnapshot(feed);
  const scrollRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<LiveFilter>({});
  const [draft, setDraft] = useState({ country: '', runId: '' });
  const [errors, setErrors] = useState<{ country?: string; runId?: string; form?: string }>({});
  const [active, setActive] = useState<LiveFilter>({});
  const socketRef = useRef<LiveSocket>(undefined);
  // the row's data as it was when clicked; the drawer then fetches the stored version
  const [opened, setOpened] = useState<StoredUser>();
  const closeDrawer = useCallback(() => setOpened(undefined), []);

  const subscribe = useCallback((filter: LiveFilter) => {
    socketRef.current?.emit('subscribe', filter, (result) => {
      if (!result.ok) {
        setErrors({ form: result.error.message });
      }
    });
  }, []);

  useLiveSocket(
    useCallback(
      (socket) => {
        socketRef.current = socket;
        const onUsers = (batch: LiveUsersBatch) => {
          // a batch of the previous filter may still be on its way after a change
          if (sameFilter(batch.filter, filterRef.current)) {
            feed.push(batch);
          }
        };
        const onConnect = () => subscribe(filterRef.current);
        socket.on('users', onUsers);
        socket.on('connect', onConnect);
        if (socket.connected) {
          onConnect();
        }
        return () => {
          socket.off('users', onUsers);
          socket.off('connect', onConnect);
          socket.emit('unsubscribe');
          socketRef.current = undefined;
        };
      },
      [feed, subscribe],
    ),
  );

  const virtualizer = useVirtualizer({
    count: snapshot.size,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    const parsed = LiveFilter.safeParse({
      country: draft.country.trim() || undefined,
      runId: draft.runId.trim() || undefined,
    });
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if (key === 'country') {
          next.country = 'Up to 80 characters';
        } else if (key === 'runId') {
          next.runId = 'A run id (UUID)';
        }
      }
      setErrors(next);
      return;
    }
    setErrors({});
    filterRef.current = parsed.data;
    setActive(parsed.data);
    feed.clear();
    subscribe(parsed.data);
  };

  const filtered = active.country !== undefined || active.runId !== undefined;
  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <h2 id="live-users-title" className="mr-auto font-semibold">
          Latest users
        </h2>
        <form
          onSubmit={applyFilter}
          noValidate
          aria-label="Filter the live users"
          className="flex flex-wrap items-end gap-2"
        >
          <Field id="live-country" label="Country" error={errors.country} className="w-36">
            {(props) => (
              <input
                {...props}
                value={draft.country}
                placeholder="name or code"
                onChange={(event) => setDraft({ ...draft, country: event.target.value })}
                className={controlClass}
              />
            )}
          </Field>
          <Field id="live-run" label="Run id" error={errors.runId} className="w-48">
            {(props) => (
              <input
                {...props}
                value={draft.runId}
                placeholder="any run"
                onChange={(event) => setDraft({ ...draft, runId: event.target.value })}
                className={controlClass}
              />
            )}
          </Field>
          <Button type="submit" size="md">
            Apply
          </Button>
        </form>
      </div>
      {errors.form && <p className="text-sm text-rose-600">{errors.form}</p>}

      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Button
          size="sm"
          onClick={() => (snapshot.paused ? feed.resume() : feed.pause())}
          aria-pressed={snapshot.paused}
          data-testid="pause-live"
        >
          {snapshot.paused ? 'Resume' : 'Pause'}
        </Button>
        {snapshot.paused && snapshot.newWhilePaused > 0 && (
          <Button size="sm" variant="primary" onClick={() => feed.resume()} data-testid="new-rows">
            +{formatCount(snapshot.newWhilePaused)} new
          </Button>
        )}
        <span className="text-slate-500 tabular-nums" data-testid="live-counts">
          {formatCount(snapshot.received)} shown of {formatCount(snapshot.matched)} matching
          {filtered ? ' the filter' : ''}
        </span>
        {snapshot.sampled > 1 && (
          <span
            data-testid="sampled"
            className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-800 dark:bg-amber-950 dark:text-amber-200"
            title="More users arrive than the table can show: the server sends a uniform sample"
          >
            sampled 1 in {snapshot.sampled}
          </span>
        )}
      </div>

      <div
        role="table"
        aria-labelledby="live-users-title"
        aria-rowcount={snapshot.size + 1}
        className="rounded-md border border-slate-200 dark:border-slate-800"
      >
        <div role="rowgroup">
          <div
            role="row"
            aria-rowindex={1}
            className={`${columns} border-b border-slate-200 bg-slate-50 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900`}
          >
            <span role="columnheader">Time</span>
            <span role="columnheader">Name</span>
            <span role="columnheader" className="hidden sm:block">
              Email
            </span>
            <span role="columnheader">Country</span>
            <span role="columnheader" className="hidden text-right sm:block">
              Age
            </span>
            <span role="columnheader" className="hidden sm:block">
              Run
            </span>
          </div>
        </div>
        <div
          ref={scrollRef}
          role="rowgroup"
          tabIndex={0}
          aria-label="Latest users, newest first"
          data-testid="live-rows"
          className="h-[26rem] overflow-auto focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          {snapshot.size === 0 ? (
            <p className="p-6 text-center text-sm text-slate-500" data-testid="live-empty">
              {filtered
                ? 'No users matching the filter yet.'
                : 'No users yet: start a run to see them stream in.'}
            </p>
          ) : (
            <div className="relative" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => (
                <Row
                  key={item.key}
                  index={item.index}
                  top={item.start}
                  user={feed.row(item.index)}
                  onOpen={setOpened}
                />
              ))}
            </div>
          )}
        </div>
      </div>
      {opened && <UserDrawer userId={opened.id} initial={opened} onClose={closeDrawer} />}
    </Card>
  );
}
