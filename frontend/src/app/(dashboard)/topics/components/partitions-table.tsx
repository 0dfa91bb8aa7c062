import type { TopicPartitionDetail } from '@userstream/contracts';
import { formatBytes, formatCount } from '@/lib/format';

const th = 'py-2 pr-3 font-semibold';
const ids = (list: number[]) => (list.length > 0 ? list.join(', ') : '–');

/** One row per partition: leadership, replicas and in-sync replicas, watermarks, messages and size. */
export function PartitionsTable({ partitions }: { partitions: TopicPartitionDetail[] }) {
  return (
    <div
      className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
      tabIndex={0}
      role="region"
      aria-label="Partitions, scrolls sideways on narrow screens"
    >
      <table aria-label="Partitions" className="w-full min-w-[40rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            <th scope="col" className={th}>
              Partition
            </th>
            <th scope="col" className={th}>
              Leader
            </th>
            <th scope="col" className={th}>
              Replicas
            </th>
            <th scope="col" className={th}>
              In sync
            </th>
            <th scope="col" className={`${th} text-right`}>
              Low
            </th>
            <th scope="col" className={`${th} text-right`}>
              High
            </th>
            <th scope="col" className={`${th} text-right`}>
              ≈ Messages
            </th>
            <th scope="col" className={`${th} text-right`}>
              Size
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums dark:divide-slate-800">
          {partitions.map((p) => {
            const underReplicated = p.isr.length < p.replicas.length;
            return (
              <tr key={p.partition} data-testid="partition-row">
                <td className="py-1.5 pr-3 font-medium">{p.partition}</td>
                <td className="py-1.5 pr-3">
                  {p.leader ?? <span className="text-rose-600 dark:text-rose-400">none</span>}
                </td>
                <td className="py-1.5 pr-3">{ids(p.replicas)}</td>
                <td
                  className={`py-1.5 pr-3 ${underReplicated ? 'text-amber-700 dark:text-amber-300' : ''}`}
                  title={underReplicated ? 'under-replicated' : undefined}
                >
                  {ids(p.isr)}
                  {underReplicated && <span className="sr-only"> (under-replicated)</span>}
                </td>
                <td className="py-1.5 pr-3 text-right">{formatCount(p.low)}</td>
                <td className="py-1.5 pr-3 text-right">{formatCount(p.high)}</td>
                <td className="py-1.5 pr-3 text-right">{formatCount(p.approxMessages)}</td>
                <td className="py-1.5 text-right whitespace-nowrap">{formatBytes(p.sizeBytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
