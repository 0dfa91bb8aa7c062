'use client';

import type { RunState } from '@userstream/contracts';
import {
  keepPreviousData,
  queryOptions,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchHealth } from './client';
import { getCluster, getProcessors } from './cluster';
import { type GroupListParams, getConsumerGroup, listConsumerGroups } from './consumer-groups';
import { getDeadLetterSummary, listRedrives } from './dead-letters';
import { listRuns } from './runs';
import { listSchedules } from './schedules';
import { getTopic, listTopics, type TopicListParams } from './topics';
import { getUserStats } from './users';

/**
 * Every query key of the dashboard. A key's first part names what it reads, so invalidating `topics.all`
 * (say) reads every topic list and topic page again.
 */
export const queryKeys = {
  health: ['health'] as const,
  processors: ['processors'] as const,
  cluster: ['cluster'] as const,
  userStats: ['users', 'stats'] as const,
  runs: {
    all: ['runs'] as const,
    list: (page: number, pageSize: number, state: RunState | undefined) =>
      ['runs', 'list', { page, pageSize, state }] as const,
  },
  schedules: ['schedules'] as const,
  topics: {
    all: ['topics'] as const,
    list: (params: TopicListParams) => ['topics', 'list', params] as const,
    detail: (name: string) => ['topics', 'detail', name] as const,
  },
  groups: {
    all: ['consumer-groups'] as const,
    list: (params: GroupListParams) => ['consumer-groups', 'list', params] as const,
    detail: (groupId: string) => ['consumer-groups', 'detail', groupId] as const,
  },
  deadLetters: {
    all: ['dead-letters'] as const,
    summary: ['dead-letters', 'summary'] as const,
    redrives: ['dead-letters', 'redrives'] as const,
  },
};

/** How often each view reads again while it is on screen (never while the tab is hidden). */
export const POLL_MS = {
  health: 5_000,
  processors: 3_000,
  cluster: 5_000,
  /** Counting is a scan on the server side: often enough to follow a run, no more. */
  userStats: 15_000,
  runs: 3_000,
  schedules: 10_000,
  topics: 10_000,
  topic: 5_000,
  groups: 10_000,
  group: 5_000,
  deadLetters: 10_000,
} as const;

/**
 * The services' health. Every component that shows it (the header's badges, the health panel) reads this one
 * query, so there is one request per interval however many show it; a second one mounting within the
 * interval is served from the cache.
 */
export const healthQuery = queryOptions({
  queryKey: queryKeys.health,
  queryFn: fetchHealth,
  refetchInterval: POLL_MS.health,
  staleTime: POLL_MS.health,
});

export const processorsQuery = (intervalMs: number = POLL_MS.processors) =>
  queryOptions({ queryKey: queryKeys.processors, queryFn: getProcessors, refetchInterval: intervalMs });

export const clusterQuery = queryOptions({
  queryKey: queryKeys.cluster,
  queryFn: getCluster,
  refetchInterval: POLL_MS.cluster,
});

export const userStatsQuery = queryOptions({
  queryKey: queryKeys.userStats,
  queryFn: getUserStats,
  refetchInterval: POLL_MS.userStats,
});

/** Another page or filter keeps showing the last list until its own answer is there. */
export const runsQuery = (page: number, pageSize: number, state: RunState | undefined) =>
  queryOptions({
    queryKey: queryKeys.runs.list(page, pageSize, state),
    queryFn: () => listRuns(page, pageSize, state),
    refetchInterval: POLL_MS.runs,
    placeholderData: keepPreviousData,
  });

export const schedulesQuery = queryOptions({
  queryKey: queryKeys.schedules,
  queryFn: listSchedules,
  refetchInterval: POLL_MS.schedules,
});

export const topicsQuery = (params: TopicListParams) =>
  queryOptions({
    queryKey: queryKeys.topics.list(params),
    queryFn: () => listTopics(params),
    refetchInterval: POLL_MS.topics,
    placeholderData: keepPreviousData,
  });

export const topicQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.topics.detail(name),
    queryFn: () => getTopic(name),
    refetchInterval: POLL_MS.topic,
  });

export const groupsQuery = (params: GroupListParams) =>
  queryOptions({
    queryKey: queryKeys.groups.list(params),
    queryFn: () => listConsumerGroups(params),
    refetchInterval: POLL_MS.groups,
    placeholderData: keepPreviousData,
  });

export const groupQuery = (groupId: string) =>
  queryOptions({
    queryKey: queryKeys.groups.detail(groupId),
    queryFn: () => getConsumerGroup(groupId),
    refetchInterval: POLL_MS.group,
  });

export const deadLetterSummaryQuery = queryOptions({
  queryKey: queryKeys.deadLetters.summary,
  queryFn: getDeadLetterSummary,
  refetchInterval: POLL_MS.deadLetters,
});

export const redrivesQuery = queryOptions({
  queryKey: queryKeys.deadLetters.redrives,
  queryFn: listRedrives,
  refetchInterval: POLL_MS.deadLetters,
});

export const useHealth = () => useQuery(healthQuery);
export const useProcessors = (intervalMs?: number) => useQuery(processorsQuery(intervalMs));
export const useCluster = () => useQuery(clusterQuery);
export const useUserStats = () => useQuery(userStatsQuery);
export const useRuns = (page: number, pageSize: number, state: RunState | undefined) =>
  useQuery(runsQuery(page, pageSize, state));
export const useSchedules = () => useQuery(schedulesQuery);
export const useTopics = (params: TopicListParams) => useQuery(topicsQuery(params));
export const useTopic = (name: string) => useQuery(topicQuery(name));
export const useConsumerGroups = (params: GroupListParams) => useQuery(groupsQuery(params));
export const useConsumerGroup = (groupId: string) => useQuery(groupQuery(groupId));
export const useDeadLetterSummary = () => useQuery(deadLetterSummaryQuery);
export const useRedrives = () => useQuery(redrivesQuery);

/**
 * After a change: the queries under these keys read again at once (those on screen) or on their next use.
 * The returned promise settles once the reads on screen have.
 */
export function useInvalidate() {
  const client = useQueryClient();
  return useCallback(
    (...keys: QueryKey[]) => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey }))),
    [client],
  );
}
