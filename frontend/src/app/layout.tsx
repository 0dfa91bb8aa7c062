import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ApiTokenControl } from '@/components/api-token-control';
import { Nav } from '@/components/nav';
import { ThemeToggle } from '@/components/theme-toggle';
import { HealthBadges } from '@/components/health-badges';
import { QueryProvider } from '@/lib/api/query-provider';
import { LiveProvider } from '@/lib/live/live-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'userstream',
  description: 'Real-time user pipeline: source, Kafka, processors, Cassandra',
};

// Runs before paint so a dark-mode user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem('theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

/**
 * Where browsers reach the backend's socket.io (websockets cannot go through the `/api` proxy). Read
 * at request time, like BACKEND_URL, so one build serves any deployment.
 */
const backendPublicUrl = () =>
  process.env.BACKEND_PUBLIC_URL ?? process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <QueryProvider>
          <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
              <a href="/live" className="text-lg font-semibold tracking-tight">
                user<span className="text-indigo-600 dark:text-indigo-400">stream</span>
              </a>
              <Nav />
              <div className="ml-auto flex items-center gap-3">
                <HealthBadges />
                <ApiTokenControl />
                <ThemeToggle />
              </div>
            </div>
          </header>
          <main className="mx-auto max-w-7xl px-4 py-6">
            <LiveProvider backendUrl={backendPublicUrl()}>{children}</LiveProvider>
          </main>
        </QueryProvider>
      </body>
    </html>
  );
}
