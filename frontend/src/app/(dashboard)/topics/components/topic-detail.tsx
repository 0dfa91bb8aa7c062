'use client';

import Link from 'next/link';
import { type ReactNode, useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorNotice } from '@/components/ui/notice';
import { Skeleton, SkeletonRows } from '@/components/ui/skeleton';
import { ApiRequestError } from '@/lib/api/client';
import { queryKeys, useInvalidate, useTopic } from '@/lib/api/queries';
import { formatBytes, formatCount } from '@/lib/format';
import { AddPartitionsForm } from './add-partitions-form';
import { ConsumerGroupsPanel } from './consumer-groups-panel';
import { MessagesTabs } from './messages-tabs';
import { PartitionsTable } from './partitions-table';
import { ProduceForm } from './produce-form';
import { TopicBadges } from './topic-badges';
import { TopicConfigs } from './topic-configs';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card className="space-y-3" data-testid={testId}>
      <h2 className="font-semibold">{title}</h2>
      {children}
    </Card>
  );
}

function Figure({ label, value, title }: { label: string; value: ReactNode; title?: string }) {
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800" title={title}>
      <p className="text-xs text-slate-500">{label}</p>
      <p className="text-lg font-semibold tabular-nums">{value}</p>
    </div>
  );
}

/** One topic: figures, partitions, consumer groups, settings, and its messages. Refreshed every 5 s. */
export function TopicDetailView({ name }: { name: string }) {
  const [reload, setReload] = useState(0);
  const { data: topic, error, isPending: loading } = useTopic(name);
  const invalidate = useInvalidate();
  // a change to this topic: its page and the topic lists read again
  const refresh = () => void invalidate(queryKeys.topics.all);

  if (loading) {
    return (
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-16" />
          ))}
        </div>
        <SkeletonRows rows={5} label="Loading topic" />
      </div>
    );
  }
  if (!topic) {
    const notFound = error instanceof ApiRequestError && error.status === 404;
    return notFound ? (
      <EmptyState title={`No topic named ${name}`}>
        <Link href="/topics" className="text-indigo-700 underline dark:text-indigo-300">
          Back to the topics
        </Link>
      </EmptyState>
    ) : (
      <ErrorNotice title="Topic unavailable">{error?.message ?? 'Unknown error'}</ErrorNotice>
    );
  }

  const underReplicated = topic.partitions.filter((p) => p.isr.length < p.replicas.length).length;
  return (
    <div className="space-y-6" data-testid="topic-detail" data-topic={topic.name}>
      {error && <ErrorNotice title="Refresh failed, showing the last answer">{error.message}</ErrorNotice>}
      <div className="flex flex-wrap items-center gap-3">
        <TopicBadges topic={{ ...topic, underReplicatedPartitions: underReplicated }} />
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Figure label="Partitions" value={topic.partitions.length} />
        <Figure label="Replication factor" value={topic.replicationFactor} />
        <Figure
          label="Messages (approximate)"
          value={`≈ ${formatCount(topic.approxMessages)}`}
          title="High minus low watermark: an upper bound for compacted or transactional topics"
        />
        <Figure label="Size (one copy)" value={formatBytes(topic.sizeBytes)} />
      </div>
      <Section title="Partitions">
        <PartitionsTable partitions={topic.partitions} />
      </Section>
      <Section title="Consumer groups" testId="consumer-groups">
        <ConsumerGroupsPanel groups={topic.consumerGroups} />
      </Section>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Section title="Settings">
          <TopicConfigs topic={topic.name} configs={topic.configs} onChanged={refresh} />
        </Section>
        <Section title="Add partitions">
          <AddPartitionsForm
            key={topic.partitions.length}
            topic={topic.name}
            current={topic.partitions.length}
            onAdded={refresh}
          />
        </Section>
      </div>
      <Section title="Produce a test message">
        <ProduceForm
          topic={topic.name}
          partitions={topic.partitions.length}
          onProduced={() => {
            setReload((n) => n + 1);
            refresh();
          }}
        />
      </Section>
      <Section title="Messages" testId="messages">
        <MessagesTabs topic={topic.name} partitions={topic.partitions.length} reload={reload} />
      </Section>
    </div>
  );
}
