import { Injectable } from '@nestjs/common';
import type {
  ConsumerGroupDetail,
  ConsumerGroupList,
  ConsumerGroupListQuery,
  ConsumerGroupSummary,
  GroupState,
  OffsetResetResult,
  OffsetResetTarget,
  TopicConsumerGroup,
} from '@userstream/contracts';
import {
  ConsumerGroupsRepository,
  type GroupDescription,
  type CommittedOffset,
  KafkaAdminRepository,
  type TopicState,
  type Watermarks,
  groupLag,
  totalLag,
  BROWSER_GROUP_PREFIX,
  TopicException,
  TopicExceptionCode,
} from '#src/kafka/index.js';
import { LagTrendRing } from './lag-trend.js';
import { planReset, resolveTarget, timestampOf } from './offset-reset.js';
import { searchAndPage } from './topic-rules.js';

const summary = (group: GroupDescription): ConsumerGroupSummary => ({
  groupId: group.groupId,
  state: group.state,
  protocolType: group.protocolType,
  protocol: group.protocol,
  members: group.members.length,
});

/** This API's own short-lived browsing consumers are not shown: they come and go with each request. */
const visible = (group: GroupDescription) => !group.groupId.startsWith(BROWSER_GROUP_PREFIX);

/** States in which a group has no member to overwrite a reset. */
const RESETTABLE = new Set<GroupState>(['Empty', 'Dead']);

export interface OffsetReset {
  topic: string;
  to: OffsetResetTarget;
  partitions?: number[];
  dryRun: boolean;
}

/** Consumer groups: who reads what, and how far behind. */
@Injectable()
export class ConsumerGroupsService {
  /** Lag sampled each time a group is described: the trend its detail shows. */
  private readonly trends = new LagTrendRing();

  constructor(
    private readonly admin: KafkaAdminRepository,
    private readonly groups: ConsumerGroupsRepository,
  ) {}

  async list(query: ConsumerGroupListQuery): Promise<ConsumerGroupList> {
    const groups = (await this.groups.describeAllGroups()).filter(visible);
    const page = searchAndPage(groups, (group) => group.groupId, query);
    const committed = page.items.length
      ? await this.admin.committedOffsets(page.items.map((group) => group.groupId))
      : new Map<string, CommittedOffset[]>();
    const existing = new Set(await this.admin.listTopicNames());
    const topics = [...new Set([...committed.values()].flat().map((entry) => entry.topic))].filter((topic) =>
      existing.has(topic),
    );
    const watermarks = topics.length ? await this.admin.watermarks(topics) : new Map<string, Watermarks[]>();
    const items = page.items.map((group) => ({
      ...summary(group),
      totalLag: totalLag(groupLag(committed.get(group.groupId) ?? [], watermarks)),
    }));
    return { items, total: page.total, page: query.page, pageSize: query.pageSize };
  }

  async describe(groupId: string): Promise<ConsumerGroupDetail> {
    const [group, committedByGroup] = await Promise.all([
      this.groups.describeGroup(groupId),
      this.admin.committedOffsets([groupId]),
    ]);
    const committed = committedByGroup.get(groupId) ?? [];
    if (!group && committed.length === 0) {
      throw new TopicException(TopicExceptionCode.GROUP_NOT_FOUND, `no consumer group ${groupId}`);
    }
    const members = group?.members ?? [];
    const assigned = members.flatMap((member) => member.assignments);
    const existing = new Set(await this.admin.listTopicNames());
    const topics = [...new Set([...committed, ...assigned].map((entry) => entry.topic))].filter((topic) =>
      existing.has(topic),
    );
    const offsets = groupLag(committed, await this.admin.watermarks(topics), assigned);
    this.trends.record(groupId, offsets, Date.now());
    return {
      ...(group ? summary(group) : { groupId, state: 'Empty', protocolType: '', protocol: '', members: 0 }),
      memberDetails: members,
      offsets,
      totalLag: totalLag(offsets),
      trend: this.trends.trend(groupId, offsets),
    };
  }

  /**
   * Moves a group's committed offsets on one topic, or with `dryRun` only says where they would go and the
   * lag that would leave. The real reset needs a group without members (409 GROUP_NOT_EMPTY).
   */
  async resetOffsets(groupId: string, request: OffsetReset): Promise<OffsetResetResult> {
    const topic = await this.admin.findTopic(request.topic);
    if (!topic) {
      throw new TopicException(TopicExceptionCode.TOPIC_NOT_FOUND, `no topic ${request.topic}`);
    }
    const known = new Set(topic.partitions.map((entry) => entry.partition));
    const unknown = (request.partitions ?? []).filter((partition) => !known.has(partition));
    if (unknown.length > 0) {
      throw new TopicException(
        TopicExceptionCode.UNKNOWN_PARTITION,
        `${request.topic} has no partition ${unknown.join(', ')}`,
        unknown.map((partition) => ({ field: 'partitions', message: `no partition ${partition}` })),
      );
    }
    const chosen = new Set(request.partitions ?? known);
    const [group, committedByGroup] = await Promise.all([
      this.groups.describeGroup(groupId),
      this.admin.committedOffsets([groupId]),
    ]);
    const allCommitted = committedByGroup.get(groupId) ?? [];
    if (!group && allCommitted.length === 0) {
      throw new TopicException(TopicExceptionCode.GROUP_NOT_FOUND, `no consumer group ${groupId}`);
    }
    const timestamp = timestampOf(request.to);
    const byTimestamp =
      timestamp === undefined ? undefined : await this.admin.offsetsForTimestamp(topic.name, timestamp);
    const committed = new Map(
      allCommitted
        .filter((entry) => entry.topic === topic.name)
        .map((entry) => [entry.partition, entry.offset]),
    );
    const partitions = planReset(
      resolveTarget(request.to, byTimestamp),
      topic.partitions.filter((entry) => chosen.has(entry.partition)),
      committed,
    );
    const state = group?.state ?? 'Empty';
    const members = group?.members.length ?? 0;
    const resettable = RESETTABLE.has(state) && members === 0;
    if (!request.dryRun) {
      if (!resettable) {
        throw new TopicException(
          TopicExceptionCode.GROUP_NOT_EMPTY,
          `${groupId} has ${members} member${members === 1 ? '' : 's'} (${state}): stop them before resetting its offsets`,
          { state, members },
        );
      }
      await this.groups.setGroupOffsets(
        groupId,
        topic.name,
        partitions.map(({ partition, newOffset }) => ({ partition, offset: newOffset })),
      );
    }
    return {
      groupId,
      topic: topic.name,
      dryRun: request.dryRun,
      resettable,
      state,
      members,
      partitions,
      totalLag: totalLag(partitions),
      newTotalLag: partitions.reduce((sum, entry) => sum + entry.newLag, 0),
    };
  }

  /** Groups that committed on, or are assigned, partitions of the topic, with their lag on it. */
  async forTopic(topic: TopicState): Promise<TopicConsumerGroup[]> {
    const groups = (await this.groups.describeAllGroups()).filter(visible);
    if (groups.length === 0) {
      return [];
    }
    const committed = await this.admin.committedOffsets(groups.map((group) => group.groupId));
    const watermarks = new Map([
      [topic.name, topic.partitions.map(({ partition, low, high }) => ({ partition, low, high }))],
    ]);
    const result: TopicConsumerGroup[] = [];
    for (const group of groups) {
      const onTopic = (committed.get(group.groupId) ?? []).filter((entry) => entry.topic === topic.name);
      const readers = group.members.filter((member) =>
        member.assignments.some((assignment) => assignment.topic === topic.name),
      );
      if (onTopic.length === 0 && readers.length === 0) {
        continue;
      }
      const assigned = readers.flatMap((member) => member.assignments).filter((a) => a.topic === topic.name);
      const partitions = groupLag(onTopic, watermarks, assigned);
      result.push({
        groupId: group.groupId,
        state: group.state,
        members: readers.length,
        lag: totalLag(partitions),
        partitions,
      });
    }
    return result.sort((a, b) => a.groupId.localeCompare(b.groupId));
  }
}
