'use client';

import type { StoredUser, UserLineage } from '@userstream/contracts';
import Link from 'next/link';
import { memo, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { LineageTimeline } from '@/components/lineage-timeline';
import { UserAvatar } from '@/components/user-avatar';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/notice';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiRequestError } from '@/lib/api/client';
import { getUser, getUserLineage } from '@/lib/api/users';
import { formatDate, formatDateTime } from '@/lib/format';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isNotFound = (error: unknown) => error instanceof ApiRequestError && error.status === 404;
const orDash = (value: ReactNode) => (value === null || value === undefined || value === '' ? '–' : value);

function Section({
  title,
  rows,
}: {
  title: string;
  rows: [label: string, field: string, value: ReactNode][];
}) {
  return (
    <section className="space-y-2">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {title}
      </h3>
      <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        {rows.map(([label, field, value]) => (
          <div key={field} className="contents">
            <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
            <dd data-field={field} className="break-words">
              {orDash(value)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function PictureLinks({ user }: { user: StoredUser }) {
  const links = [
    { label: 'large', href: user.pictureLarge },
    { label: 'medium', href: user.pictureMedium },
    { label: 'thumbnail', href: user.pictureThumbnail },
  ].filter((link) => link.href !== null);
  if (links.length === 0) {
    return null;
  }
  return (
    <span className="flex flex-wrap gap-x-2">
      {links.map(({ label, href }) => (
        <a
          key={label}
          href={href ?? undefined}
          target="_blank"
          rel="noreferrer"
          className="text-indigo-700 hover:underline dark:text-indigo-300"
        >
          {label}
        </a>
      ))}
    </span>
  );
}

function UserDetails({ user }: { user: StoredUser }) {
  const coordinates =
    user.latitude !== null && user.longitude !== null
      ? `${user.latitude.toFixed(4)}, ${user.longitude.toFixed(4)}`
      : null;
  const timezone = [user.timezoneOffset, user.timezoneDescription].filter(Boolean).join(' · ');
  const kafka =
    user.kafkaTopic !== null
      ? `${user.kafkaTopic} · partition ${user.kafkaPartition ?? '?'} · offset ${user.kafkaOffset ?? '?'}`
      : null;
  return (
    <div className="space-y-5">
      <Section
        title="Identity"
        rows={[
          ['Title', 'title', user.title],
          ['First name', 'firstName', user.firstName],
          ['Last name', 'lastName', user.lastName],
          ['Gender', 'gender', user.gender],
          [
            'Born',
            'dob',
            user.dob && `${formatDate(user.dob)}${user.age !== null ? ` (age ${user.age})` : ''}`,
          ],
          ['Nationality', 'nat', user.nat],
          ['Username', 'username', user.username],
          ['Registered', 'registered', formatDate(user.registered)],
          ['Id', 'id', <span className="font-mono text-xs">{user.id}</span>],
          ['Picture', 'picture', <PictureLinks user={user} />],
        ]}
      />
      <Section
        title="Contact"
        rows={[
          ['Email', 'email', user.email],
          ['Phone', 'phone', user.phone],
          ['Cell', 'cell', user.cell],
        ]}
      />
      <Section
        title="Location"
        rows={[
          ['Street', 'street', user.street],
          ['City', 'city', user.city],
          ['State', 'state', user.state],
          ['Postcode', 'postcode', user.postcode],
          ['Country', 'country', user.country],
          ['Coordinates', 'coordinates', coordinates],
          ['Timezone', 'timezone', timezone],
        ]}
      />
      <Section
        title="Pipeline"
        rows={[
          ['Source', 'source', user.source],
          [
            'Run',
            'runId',
            user.runId && (
              <Link
                href={`/runs/${user.runId}`}
                className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {user.runId}
              </Link>
            ),
          ],
          ['Fetched', 'fetchedAt', user.fetchedAt && formatDateTime(user.fetchedAt)],
          ['Produced', 'ingestedAt', user.ingestedAt && formatDateTime(user.ingestedAt)],
          ['Kafka', 'kafka', kafka && <span className="font-mono text-xs">{kafka}</span>],
          ['Processed', 'processedAt', formatDateTime(user.processedAt)],
        ]}
      />
    </div>
  );
}

type LineageState =
  | { status: 'loading' }
  | { status: 'ready'; lineage: UserLineage }
  | { status: 'error'; error: string };

/** Fetched on demand: it costs the server a read with write times. */
function LineageSection({ userId }: { userId: string }) {
  const [state, setState] = useState<LineageState>();
  const regionId = useId();
  const load = () => {
    setState({ status: 'loading' });
    getUserLineage(userId).then(
      (lineage) => setState({ status: 'ready', lineage }),
      (error: unknown) => setState({ status: 'error', error: message(error) }),
    );
  };
  return (
    <section className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
          Lineage
        </h3>
        <Button
          size="sm"
          onClick={load}
          disabled={state?.status === 'loading'}
          aria-expanded={state !== undefined}
          aria-controls={regionId}
        >
          {state ? 'Refresh lineage' : 'Show lineage'}
        </Button>
      </div>
      <div id={regionId} aria-live="polite">
        {state?.status === 'loading' && <Skeleton className="h-40 w-full" />}
        {state?.status === 'error' && <ErrorNotice title="Lineage unavailable">{state.error}</ErrorNotice>}
        {state?.status === 'ready' && <LineageTimeline lineage={state.lineage} />}
        {!state && (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            Where this user came from: run, source, Kafka position and the time spent at each stage.
          </p>
        )}
      </div>
    </section>
  );
}

/**
 * A user's details in a modal panel on the right. A native `<dialog>` opened with `showModal()` keeps
 * focus inside and the page behind inert; Escape closes it and focus goes back where it was.
 * `initial` (a row already on screen) is shown at once while the stored version is fetched. Memoised: the
 * Live table behind it re-renders every frame while users stream in.
 */
export const UserDrawer = memo(function UserDrawer({
  userId,
  initial,
  unmasked = false,
  onClose,
}: {
  userId: string;
  initial?: StoredUser;
  /** Ask for personal fields as stored (admins only, audited); masked otherwise. */
  unmasked?: boolean;
  onClose: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [fetched, setFetched] = useState<{ id: string; user?: StoredUser; error?: unknown }>();

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
    dialog?.querySelector<HTMLElement>('[data-initial-focus]')?.focus();
    return () => opener?.focus();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    getUser(userId, { unmasked }, { signal: controller.signal }).then(
      (user) => setFetched({ id: userId, user }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setFetched({ id: userId, error });
        }
      },
    );
    return () => controller.abort();
  }, [userId, unmasked]);

  const current = fetched?.id === userId ? fetched : undefined;
  const user = current?.user ?? (initial?.id === userId ? initial : undefined);
  const error = current?.error;

  return (
    <dialog
      ref={dialogRef}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="user-drawer"
      onClose={onClose}
      // a click on the backdrop lands on the dialog itself; clicks in the panel land on its content
      onClick={(event) => {
        if (event.target === event.currentTarget) {
          dialogRef.current?.close();
        }
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-dvh w-full max-w-lg border-l border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/40 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex h-full flex-col">
        <header className="flex items-start gap-4 border-b border-slate-200 p-4 dark:border-slate-800">
          {user ? (
            <UserAvatar
              key={user.id}
              src={user.pictureLarge ?? user.pictureMedium}
              firstName={user.firstName}
              lastName={user.lastName}
              size="lg"
            />
          ) : (
            <Skeleton className="h-16 w-16 rounded-full" />
          )}
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="truncate text-lg font-semibold">
              {user ? [user.title, user.firstName, user.lastName].filter(Boolean).join(' ') : 'User'}
            </h2>
            <p className="truncate text-sm text-slate-500 dark:text-slate-400">
              {user ? [user.email, user.country].filter(Boolean).join(' · ') : userId}
            </p>
          </div>
          <Button
            data-initial-focus
            variant="ghost"
            size="sm"
            onClick={() => dialogRef.current?.close()}
            aria-label="Close"
          >
            ✕
          </Button>
        </header>
        <div className="flex-1 space-y-5 overflow-y-auto p-4">
          {error !== undefined && (
            <ErrorNotice title={isNotFound(error) ? 'User not found' : 'The user could not be loaded'}>
              {isNotFound(error) ? `No stored user has the id ${userId}.` : message(error)}
            </ErrorNotice>
          )}
          {user ? (
            <>
              <UserDetails user={user} />
              <LineageSection key={user.id} userId={user.id} />
            </>
          ) : error === undefined ? (
            <div role="status" aria-label="Loading the user" className="space-y-3">
              <Skeleton className="h-32 w-full" />
              <Skeleton className="h-24 w-full" />
            </div>
          ) : null}
        </div>
      </div>
    </dialog>
  );
});
