import type { CassandraNodeStatus } from '@userstream/contracts';
import { formatBytes } from '@/lib/format';
import { NodeStateBadge } from './node-state-badge';

const th = 'py-2 pr-3 font-semibold';

/** One row per Cassandra node the driver knows, with the schema version it reports (shortened) and its load. */
export function NodesTable({ nodes }: { nodes: CassandraNodeStatus[] }) {
  return (
    <div
      className="relative -mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-500"
      tabIndex={0}
      role="region"
      aria-label="Cassandra nodes, scrolls sideways on narrow screens"
    >
      <table aria-label="Cassandra nodes" className="w-full min-w-[44rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            <th scope="col" className={th}>
              Address
            </th>
            <th scope="col" className={th}>
              Data center / rack
            </th>
            <th scope="col" className={th}>
              State
            </th>
            <th scope="col" className={`${th} text-right`}>
              Load
            </th>
            <th scope="col" className={th}>
              Schema
            </th>
            <th scope="col" className={th}>
              Release
            </th>
            <th scope="col" className={`${th} text-right`}>
              Tokens
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums dark:divide-slate-800">
          {nodes.map((node) => (
            <tr key={node.address} data-testid="node-row" data-node={node.address} data-state={node.state}>
              <td className="py-2 pr-3 font-mono">{node.address}</td>
              <td className="py-2 pr-3">
                {node.dataCenter ?? '–'} / {node.rack ?? '–'}
              </td>
              <td className="py-2 pr-3">
                <NodeStateBadge state={node.state} />
              </td>
              <td className="py-2 pr-3 text-right whitespace-nowrap" data-testid="node-load">
                {formatBytes(node.load)}
              </td>
              <td
                className="py-2 pr-3 font-mono text-xs"
                title={node.schemaVersion ?? undefined}
                data-testid="node-schema"
              >
                {node.schemaVersion?.slice(0, 8) ?? '–'}
              </td>
              <td className="py-2 pr-3">{node.releaseVersion ?? '–'}</td>
              <td className="py-2 text-right">{node.tokens ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
