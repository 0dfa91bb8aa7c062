'use client';

import type { ServiceName } from '@userstream/contracts';
import { useHealth } from '@/lib/api/queries';

const services: ServiceName[] = ['kafka', 'cassandra', 'postgres'];

export function HealthBadges() {
  const { data, error, isPending: loading } = useHealth();
  return (
    <ul aria-label="Service health" className="flex gap-2 text-xs">
      {services.map((name) => {
        const service = data?.services[name];
        const status = loading ? 'checking' : error && !service ? 'unknown' : (service?.status ?? 'unknown');
        const color =
          status === 'up'
            ? 'bg-emerald-500'
            : status === 'down'
              ? 'bg-rose-500'
              : 'bg-slate-400 animate-pulse';
        const title = service?.error ?? service?.detail ?? error?.message ?? 'checking';
        return (
          <li
            key={name}
            data-testid={`health-${name}`}
            data-status={status}
            title={title}
            className="flex items-center gap-1.5 rounded-full border border-slate-200 px-2 py-0.5 dark:border-slate-700"
          >
            <span className={`h-2 w-2 rounded-full ${color}`} aria-hidden />
            <span>{name}</span>
            <span className="sr-only">{status}</span>
          </li>
        );
      })}
    </ul>
  );
}
