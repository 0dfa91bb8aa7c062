import type { KafkaBrokerStatus } from '@userstream/contracts';
import { formatCount } from '@/lib/format';
import { NodeStateBadge } from './node-state-badge';

const th = 'py-2 pr-3 font-semibold';
const warn = (value: number) => (value > 0 ? 'font-semibold text-rose-700 dark:text-rose-300' : '');

/** One row per broker, lost ones included (down, with their address when it is known). */
export function BrokersTable({ brokers }: { brokers: KafkaBrokerStatus[] }) {
  return (
    <div
      className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
      tabIndex={0}
      role="region"
      aria-label="Kafka brokers, scrolls sideways on narrow screens"
    >
      <table aria-label="Kafka brokers" className="w-full min-w-[44rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            <th scope="col" className={th}>
              Broker
            </th>
            <th scope="col" className={th}>
              Address
            </th>
            <th scope="col" className={th}>
              State
            </th>
            <th scope="col" className={`${th} text-right`}>
              Leads
            </th>
            <th scope="col" className={`${th} text-right`}>
              Replicas
            </th>
            <th
              scope="col"
              className={`${th} text-right`}
              title="Partitions it leads with fewer in-sync replicas than replicas"
            >
              Under-replicated
            </th>
            <th
              scope="col"
              className={`${th} text-right`}
              title="Its replicas missing from their in-sync set"
            >
              Out of sync
            </th>
            <th scope="col" className={`${th} text-right`} title="Partitions it holds that have no leader">
              Offline
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums dark:divide-slate-800">
          {brokers.map((broker) => (
            <tr key={broker.id} data-testid="broker-row" data-broker={broker.id} data-state={broker.state}>
              <td className="py-2 pr-3 font-medium">
                {broker.id}
                {broker.isController && (
                  <span
                    data-testid="controller-badge"
                    className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                  >
                    controller
                  </span>
                )}
              </td>
              <td className="py-2 pr-3 font-mono">
                {broker.host === null ? (
                  <span className="text-slate-500 dark:text-slate-400">unknown</span>
                ) : (
                  `${broker.host}:${broker.port}`
                )}
                {broker.rack && <span className="ml-2 text-xs text-slate-500">rack {broker.rack}</span>}
              </td>
              <td className="py-2 pr-3">
                <NodeStateBadge state={broker.state} />
              </td>
              <td className="py-2 pr-3 text-right" data-testid="broker-leads">
                {formatCount(broker.partitionsLed)}
              </td>
              <td className="py-2 pr-3 text-right">{formatCount(broker.replicas)}</td>
              <td className={`py-2 pr-3 text-right ${warn(broker.underReplicatedPartitions)}`}>
                {formatCount(broker.underReplicatedPartitions)}
              </td>
              <td className={`py-2 pr-3 text-right ${warn(broker.outOfSyncReplicas)}`}>
                {formatCount(broker.outOfSyncReplicas)}
              </td>
              <td className={`py-2 text-right ${warn(broker.offlinePartitions)}`}>
                {formatCount(broker.offlinePartitions)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
