'use client';

import {
  FINISHED_RUN_STATES,
  type HistoryRange,
  type Run,
  RunCounters,
  type RunEventKind,
  type RunEventList,
  type RunState,
} from '@userstream/contracts';
import {
  keepPreviousData,
  queryOptions,
  useQuery,
  useQueryClient,
  type QueryKey,
  type QueryState,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiRequestError, fetchHealth } from './client';
import { getCluster, getProcessors } from './cluster';
import { type GroupListParams, getConsumerGroup, listConsumerGroups } from './consumer-groups';
import { getDeadLetterSummary, listRedrives } from './dead-letters';
import { fetchLiveHistory } from './live';
import { getRun, getRunCurve, listRunEvents, listRuns } from './runs';
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
    detail: (id: string) => ['runs', 'detail', id] as const,
    /** A run's events while it is active, then once it has ended: a new query, so the switch reads at once. */
    events: (id: string, active: boolean) => ['runs', 'events', id, active ? 'active' : 'ended'] as const,
    /** A run's curve while its counters move, then once they have settled: the switch is one last read. */
    curve: (id: string, settled: boolean) => ['runs', 'curve', id, settled ? 'settled' : 'moving'] as const,
  },
  live: {
    all: ['live'] as const,
    history: (range: HistoryRange) => ['live', 'history', range] as const,
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
  /** One run's counters, until they settle. */
  run: 1_000,
  /** A run that could not be read (other than a 404): tried again, more slowly. */
  runAfterError: 3_000,
  runEvents: 2_000,
  runEventsAfterError: 4_000,
  /** The backend writes curve points every 10 s: reading more often would show nothing new. */
  runCurve: 5_000,
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

/** The 10 minute history is read once (the live feed appends to it); the 2 h and 24 h ones once per bucket. */
export const HISTORY_POLL_MS: Record<HistoryRange, number | false> = {
  '10m': false,
  '2h': 10_000,
  '24h': 60_000,
};

/** A finished run's counters can still grow while processors drain what it produced. */
export const RUN_SETTLED_AFTER_STABLE_POLLS = 5;
export const RUN_EVENTS_PAGE_SIZE = 200;
/** The end event is written just after the run's end: polled for a little longer (a reaped run has none). */
export const RUN_EVENTS_POLLS_AFTER_END = 10;
const END_KINDS: readonly RunEventKind[] = ['completed', 'stopped', 'failed', 'interrupted'];
const COUNTER_KEYS = RunCounters.keyof().options;

/** A run id that does not exist, or is not one: nothing to read again. */
export const isNotFound = (error: unknown) =>
  error instanceof ApiRequestError && (error.status === 404 || error.status === 400);

/**
 * A run as its page polls it: with how many reads in a row found it finished with the same counters, and
 * whether those are final (processed all it produced, or unchanged for a few reads).
 */
export interface RunPoll {
  run: Run;
  stablePolls: number;
  settled: boolean;
}

export function nextRunPoll(previous: RunPoll | undefined, run: Run): RunPoll {
  const finished = FINISHED_RUN_STATES.includes(run.state);
  const unchanged =
    previous !== undefined && COUNTER_KEYS.every((key) => previous.run.counters[key] === run.counters[key]);
  const stablePolls = finished && unchanged ? previous.stablePolls + 1 : 0;
  const settled =
    finished &&
    (stablePolls >= RUN_SETTLED_AFTER_STABLE_POLLS || run.counters.processed >= run.counters.produced);
  return { run, stablePolls, settled };
}

/** Every second until settled; after an error more slowly; not at all after a 404. */
export function runPollInterval({ state }: { state: QueryState<RunPoll> }): number | false {
  if (state.error) {
    return isNotFound(state.error) ? false : POLL_MS.runAfterError;
  }
  return state.data?.settled ? false : POLL_MS.run;
}

/**
 * One run, polled until its counters settle. Each read is compared with the one before it (the cached
 * answer). A failed read is not tried again at once: the slower poll after an error is its retry.
 */
export const runQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.runs.detail(id),
    queryFn: async ({ client, queryKey }) =>
      nextRunPoll(client.getQueryData<RunPoll>(queryKey), await getRun(id)),
    refetchInterval: runPollInterval,
    refetchOnWindowFocus: (query) => runPollInterval(query) !== false,
    retry: false,
  });

/**
 * While the run is active, every 2 s; once it has ended, until its end event is there (only on the first
 * page), at most a few more times; after an error every 4 s.
 */
export const runEventsPollInterval =
  (active: boolean) =>
  ({ state }: { state: QueryState<RunEventList> }): number | false => {
    if (state.error) {
      return POLL_MS.runEventsAfterError;
    }
    if (active) {
      return POLL_MS.runEvents;
    }
    if (!state.data) {
      return false;
    }
    const ended = state.data.items.some((event) => END_KINDS.includes(event.kind));
    // the first read after the end, then at most RUN_EVENTS_POLLS_AFTER_END more
    const more =
      !ended &&
      state.data.total <= RUN_EVENTS_PAGE_SIZE &&
      state.dataUpdateCount <= RUN_EVENTS_POLLS_AFTER_END;
    return more ? POLL_MS.runEvents : false;
  };

/** The same run's answer from before the switch (active to ended, moving to settled) shows until the new one. */
const sameRun =
  (runId: string) =>
  <T>(previous: T | undefined, previousQuery: { queryKey: QueryKey } | undefined) =>
    previousQuery?.queryKey[2] === runId ? previous : undefined;

/** The first page of a run's events. */
export const runEventsQuery = (runId: string, active: boolean) => {
  const interval = runEventsPollInterval(active);
  return queryOptions({
    queryKey: queryKeys.runs.events(runId, active),
    queryFn: () => listRunEvents(runId, 1, RUN_EVENTS_PAGE_SIZE),
    refetchInterval: interval,
    refetchOnWindowFocus: (query) => interval(query) !== false,
    retry: false,
    placeholderData: sameRun(runId),
  });
};

/** A run's curve: every 5 s while its counters move; once settled, read once more (a new key) and no more. */
export const runCurveQuery = (runId: string, settled: boolean) =>
  queryOptions({
    queryKey: queryKeys.runs.curve(runId, settled),
    queryFn: () => getRunCurve(runId),
    refetchInterval: settled ? false : POLL_MS.runCurve,
    refetchOnWindowFocus: !settled,
    retry: false,
    placeholderData: sameRun(runId),
  });

/**
 * The throughput history of one range. Not kept once off screen: another range, or this one again, shows
 * its loading state until its own current answer is there.
 */
export const liveHistoryQuery = (range: HistoryRange) =>
  queryOptions({
    queryKey: queryKeys.live.history(range),
    queryFn: () => fetchLiveHistory(range),
    refetchInterval: HISTORY_POLL_MS[range],
    refetchOnWindowFocus: HISTORY_POLL_MS[range] !== false,
    retry: false,
    gcTime: 0,
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
export const useRun = (id: string) => useQuery(runQuery(id));
export const useRunEvents = (runId: string, active: boolean) => useQuery(runEventsQuery(runId, active));
export const useRunCurve = (runId: string, settled: boolean) => useQuery(runCurveQuery(runId, settled));
export const useLiveHistory = (range: HistoryRange) => useQuery(liveHistoryQuery(range));

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
