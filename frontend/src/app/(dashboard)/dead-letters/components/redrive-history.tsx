'use client';

import type { RedriveList } from '@userstream/contracts';
import { Card } from '@/components/ui/card';
import { formatCount, formatDateTime, shortId } from '@/lib/format';

const th = 'py-1.5 pr-3 font-semibold';

/** The latest redrives; `pending` letters were claimed but their produce not yet confirmed. */
export function RedriveHistory({ redrives }: { redrives: RedriveList }) {
  if (redrives.items.length === 0) {
    return null;
  }
  return (
    <Card className="space-y-2">
      <h2 className="text-sm font-semibold">Previous redrives</h2>
      <table aria-label="Previous redrives" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            <th scope="col" className={th}>
              Redrive
            </th>
            <th scope="col" className={th}>
              By
            </th>
            <th scope="col" className={th}>
              Started
            </th>
            <th scope="col" className={`${th} text-right`}>
              Produced
            </th>
            <th scope="col" className={`${th} text-right`}>
              Pending
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {redrives.items.map((redrive) => (
            <tr key={redrive.id} data-testid="redrive-row">
              <td className="py-1.5 pr-3 font-mono text-xs" title={redrive.id}>
                {shortId(redrive.id)}
              </td>
              <td className="py-1.5 pr-3">{redrive.actor}</td>
              <td className="py-1.5 pr-3 text-xs">{formatDateTime(redrive.startedAt)}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="redrive-produced">
                {formatCount(redrive.produced)}
              </td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(redrive.pending)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
