'use client';

import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { SkeletonRows } from '@/components/ui/skeleton';
import { POLL_MS, useCluster } from '@/lib/api/queries';
import { formatCount, formatTime } from '@/lib/format';
import { BrokersTable } from './brokers-table';
import { NodesTable } from './nodes-table';

/** Both clusters, polled; a red banner lists what is wrong (a lost node, unsafe partitions, schema disagreement). */
export function ClusterView() {
  const { data, error, isPending: loading } = useCluster();

  if (loading) {
    return <SkeletonRows rows={6} label="Loading the cluster" />;
  }
  if (!data) {
    return <ErrorNotice title="Cluster state unavailable">{error?.message ?? 'No answer'}</ErrorNotice>;
  }
  const { kafka, cassandra, problems } = data;

  return (
    <div className="space-y-6">
      {error && <ErrorNotice title="Refresh failed">{error.message}</ErrorNotice>}
      {problems.length > 0 ? (
        <div
          role="alert"
          data-testid="cluster-problems"
          className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200"
        >
          <p className="font-semibold">
            {problems.length === 1
              ? 'One problem needs attention'
              : `${problems.length} problems need attention`}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p
          data-testid="cluster-healthy"
          className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
          Every broker and node is up, every partition is fully replicated and the schema agrees.
        </p>
      )}

      <Card className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Kafka brokers</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="kafka-summary">
            {kafka.clusterId && <span className="font-mono">{kafka.clusterId}</span>} ·{' '}
            {formatCount(kafka.topics)} topics · {formatCount(kafka.partitions)} partitions ·{' '}
            {formatCount(kafka.underReplicatedPartitions)} under-replicated ·{' '}
            {formatCount(kafka.offlinePartitions)} offline
          </p>
        </div>
        {kafka.brokers.length === 0 ? (
          <EmptyState title="No broker known">
            {kafka.error ?? 'The cluster metadata lists no broker.'}
          </EmptyState>
        ) : (
          <BrokersTable brokers={kafka.brokers} />
        )}
      </Card>

      <Card className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Cassandra nodes</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="cassandra-summary">
            local data center {cassandra.localDataCenter} · schema{' '}
            {cassandra.schemaAgreement === null
              ? 'unknown'
              : cassandra.schemaAgreement
                ? 'in agreement'
                : 'disagreement'}
          </p>
        </div>
        {cassandra.nodes.length === 0 ? (
          <EmptyState title="No node known">
            {cassandra.error ?? 'The driver knows no Cassandra node.'}
          </EmptyState>
        ) : (
          <NodesTable nodes={cassandra.nodes} />
        )}
      </Card>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Checked at {formatTime(data.checkedAt)}, every {POLL_MS.cluster / 1000} s. Load is the data on disk
        each node last gossiped.
      </p>
    </div>
  );
}
