'use client';

import type { TopicSummary } from '@userstream/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { controlClass } from '@/components/ui/field';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { queryKeys, useInvalidate, useTopics } from '@/lib/api/queries';
import { formatBytes, formatCount } from '@/lib/format';
import { useUrlList } from '@/lib/use-url-list';
import { CreateTopicForm } from './create-topic-form';
import { DeleteTopicDialog } from './delete-topic-dialog';
import { TopicBadges } from './topic-badges';
import { Pager } from '@/components/ui/pager';

const PAGE_SIZE = 20;

const th = 'py-2 pr-3 font-semibold';

/** Topics with server-side search and paging; search, page and "internal" live in the URL. */
export function TopicsTable() {
  const { page, search, typed, setTyped, go, flag } = useUrlList();
  const includeInternal = flag('internal');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const [deleting, setDeleting] = useState<TopicSummary>();

  const {
    data,
    error,
    isPending: loading,
  } = useTopics({
    page,
    pageSize: PAGE_SIZE,
    search: search || undefined,
    includeInternal,
  });
  const invalidate = useInvalidate();
  // a created or deleted topic: every topic list and page reads again
  const refresh = () => void invalidate(queryKeys.topics.all);

  return (
    <Card className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form
          role="search"
          aria-label="Topics"
          className="flex flex-wrap items-center gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            go({ search: typed.trim() });
          }}
        >
          <label className="flex items-center gap-2 text-sm">
            <span className="sr-only">Search topics</span>
            <input
              type="search"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              placeholder="Search topics"
              data-testid="topic-search"
              className={`${controlClass} w-56 sm:w-72`}
              autoComplete="off"
            />
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="h-4 w-4 accent-indigo-600"
              checked={includeInternal}
              onChange={(event) => go({ flags: { internal: event.target.checked } })}
            />
            Show internal
          </label>
        </form>
        <Button
          variant="primary"
          onClick={() => setCreating(!creating)}
          aria-expanded={creating}
          data-testid="new-topic"
        >
          {creating ? 'Cancel' : 'Create topic'}
        </Button>
      </div>
      {creating && (
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <CreateTopicForm
            onCreated={(name) => {
              setCreating(false);
              setCreated(name);
              refresh();
            }}
          />
        </div>
      )}
      {created && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          Created{' '}
          <Link href={`/topics/${encodeURIComponent(created)}`} className="font-mono underline">
            {created}
          </Link>
          .
        </p>
      )}
      {error && <ErrorNotice title="Topics unavailable">{error.message}</ErrorNotice>}
      {loading ? (
        <SkeletonRows rows={6} label="Loading topics" />
      ) : data && data.items.length === 0 ? (
        <EmptyState title={search ? `No topic matches "${search}"` : 'No topics yet'}>
          {search ? 'Try another search.' : 'Create one, or start a run to create the pipeline topics.'}
        </EmptyState>
      ) : data ? (
        <div
          className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
          tabIndex={0}
          role="region"
          aria-label="Topics, scrolls sideways on narrow screens"
        >
          <table aria-label="Topics" className="w-full min-w-[44rem] text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
              <tr>
                <th scope="col" className={th}>
                  Name
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Partitions
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Replicas
                </th>
                <th scope="col" className={`${th} text-right`}>
                  <abbr title="Approximate: high minus low watermark, an upper bound for compacted topics">
                    ≈ Messages
                  </abbr>
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Size
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {data.items.map((topic) => (
                <tr key={topic.name} data-testid="topic-row" data-topic={topic.name}>
                  <td className="py-2 pr-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link
                        href={`/topics/${encodeURIComponent(topic.name)}`}
                        className="font-mono break-all text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        {topic.name}
                      </Link>
                      <TopicBadges topic={topic} />
                    </div>
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{topic.partitions}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{topic.replicationFactor}</td>
                  <td className="py-2 pr-3 text-right tabular-nums" title="approximate">
                    ≈ {formatCount(topic.approxMessages)}
                  </td>
                  <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">
                    {formatBytes(topic.sizeBytes)}
                  </td>
                  <td className="py-2 text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setDeleting(topic)}
                      aria-label={`Delete ${topic.name}`}
                      data-testid="delete-topic"
                    >
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (
        <Pager
          label="Topic pages"
          page={page}
          pageSize={PAGE_SIZE}
          total={data.total}
          noun="topics"
          onPage={(next) => go({ page: next })}
        />
      )}
      <DeleteTopicDialog
        topic={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={() => {
          setDeleting(undefined);
          setCreated(undefined);
          refresh();
        }}
      />
    </Card>
  );
}
