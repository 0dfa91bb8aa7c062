'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { MessageBrowser } from './message-browser';
import { MessageSearch } from './message-search';

const TABS = [
  { view: 'browse', label: 'Browse' },
  { view: 'search', label: 'Search' },
] as const;

/** Browsing by position or searching by content; which one is open is in the URL (`view`). */
export function MessagesTabs({
  topic,
  partitions,
  reload,
}: {
  topic: string;
  partitions: number;
  reload: number;
}) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = params.get('view') === 'search' ? 'search' : 'browse';
  const open = (next: string) => {
    const url = new URLSearchParams(params);
    url.set('view', next);
    router.replace(`${pathname}?${url}`, { scroll: false });
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div
          role="tablist"
          aria-label="Messages"
          className="flex gap-1 rounded-md bg-slate-100 p-1 dark:bg-slate-800"
        >
          {TABS.map((tab) => (
            <button
              key={tab.view}
              type="button"
              role="tab"
              aria-selected={view === tab.view}
              data-testid={`messages-tab-${tab.view}`}
              onClick={() => open(tab.view)}
              className={`rounded px-3 py-1 text-sm font-medium ${
                view === tab.view
                  ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100'
                  : 'text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <Link
          href={`/tail?topic=${encodeURIComponent(topic)}`}
          className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
        >
          Live tail →
        </Link>
      </div>
      {view === 'search' ? (
        <MessageSearch topic={topic} partitions={partitions} />
      ) : (
        <MessageBrowser topic={topic} partitions={partitions} reload={reload} />
      )}
    </div>
  );
}
