'use client';

import type { ServiceName } from '@userstream/contracts';
import { useHealth } from '@/lib/api/queries';
import { Card } from '@/components/ui/card';

const services: { name: ServiceName; label: string }[] = [
  { name: 'kafka', label: 'Kafka' },
  { name: 'cassandra', label: 'Cassandra' },
  { name: 'postgres', label: 'PostgreSQL' },
];

export function HealthPanel() {
  const { data, error, isPending: loading } = useHealth();
  return (
    <section aria-labelledby="health-title" className="space-y-3">
      <h2 id="health-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
        Pipeline health
      </h2>
      {error && !data && (
        <p
          role="alert"
          className="rounded-md bg-rose-50 p-3 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-300"
        >
          The backend did not answer: {error.message}
        </p>
      )}
      <div className="grid gap-3 sm:grid-cols-3">
        {services.map(({ name, label }) => {
          const service = data?.services[name];
          return (
            <Card key={name} data-testid={`health-card-${name}`}>
              <div className="flex items-center justify-between">
                <span className="font-medium">{label}</span>
                {loading ? (
                  <span className="h-4 w-12 animate-pulse rounded bg-slate-200 dark:bg-slate-700" />
                ) : (
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-semibold ${
                      service?.status === 'up'
                        ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200'
                        : 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-200'
                    }`}
                  >
                    {service?.status ?? 'unknown'}
                  </span>
                )}
              </div>
              <p className="mt-2 truncate text-sm text-slate-500 dark:text-slate-400">
                {service ? (service.detail ?? service.error) : ' '}
              </p>
              {service && <p className="text-xs text-slate-400">{service.latencyMs} ms</p>}
            </Card>
          );
        })}
      </div>
    </section>
  );
}
