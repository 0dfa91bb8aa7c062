'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const links = [
  { href: '/live', label: 'Live' },
  { href: '/runs', label: 'Runs' },
  { href: '/topics', label: 'Topics' },
  { href: '/tail', label: 'Tail' },
  { href: '/groups', label: 'Groups' },
  { href: '/dead-letters', label: 'Dead letters' },
  { href: '/cluster', label: 'Cluster' },
  { href: '/users', label: 'Users' },
];

export function Nav() {
  const pathname = usePathname();
  return (
    // eight pages: on a phone the links wrap onto a second row rather than widen the page
    <nav aria-label="Main" className="flex min-w-0 flex-wrap gap-1">
      {links.map(({ href, label }) => {
        const active = pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? 'page' : undefined}
            className={`whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
              active
                ? 'bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300'
                : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
