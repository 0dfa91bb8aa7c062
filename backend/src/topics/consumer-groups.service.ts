import { Injectable } from '@nestjs/common';
import type {
  ConsumerGroupDetail,
  ConsumerGroupList,
  ConsumerGroupListQuery,
  ConsumerGroupSummary,
  TopicConsumerGroup,
} from '@userstream/contracts';
import { groupLag, totalLag } from './lag.js';
import { searchAndPage } from './topic-rules.js';
import { TopicException, TopicExceptionCode } from './topic.exception.js';
import {
  BROWSER_GROUP_PREFIX,
  type GroupDescription,
  type TopicState,
  TopicsRepository,
} from './topics.repository.js';

const summary = (group: GroupDescription): ConsumerGroupSummary => ({
  groupId: group.groupId,
  state: group.state,
  protocolType: group.protocolType,
  protocol: group.protocol,
  members: group.members.length,
});

/** This API's own short-lived browsing consumers are not shown: they come and go with each request. */
const visible = (group: GroupDescription) => !group.groupId.startsWith(BROWSER_GROUP_PREFIX);

/** Consumer groups: who reads what, and how far behind. */
@Injectable()
export class ConsumerGroupsService {
  constructor(private readonly topics: TopicsRepository) {}

  async list(query: ConsumerGroupListQuery): Promise<ConsumerGroupList> {
    const groups = (await this.topics.describeAllGroups()).filter(visible);
    const page = searchAndPage(groups, (group) => group.groupId, query);
    return { items: page.items.map(summary), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  async describe(groupId: string): Promise<ConsumerGroupDetail> {
    const [group, committedByGroup] = await Promise.all([
      this.topics.describeGroup(groupId),
      this.topics.committedOffsets([groupId]),
    ]);
    const committed = committedByGroup.get(groupId) ?? [];
    if (!group && committed.length === 0) {
      throw new TopicException(TopicExceptionCode.GROUP_NOT_FOUND, `no consumer group ${groupId}`);
    }
    const members = group?.members ?? [];
    const assigned = members.flatMap((member) => member.assignments);
    const existing = new Set(await this.topics.listTopicNames());
    const topics = [...new Set([...committed, ...assigned].map((entry) => entry.topic))].filter((topic) =>
      existing.has(topic),
    );
    const offsets = groupLag(committed, await this.topics.watermarks(topics), assigned);
    return {
      ...(group ? summary(group) : { groupId, state: 'Empty', protocolType: '', protocol: '', members: 0 }),
      memberDetails: members,
      offsets,
      totalLag: totalLag(offsets),
    };
  }

  /** Groups that committed on, or are assigned, partitions of the topic, with their lag on it. */
  async forTopic(topic: TopicState): Promise<TopicConsumerGroup[]> {
    const groups = (await this.topics.describeAllGroups()).filter(visible);
    if (groups.length === 0) return [];
    const committed = await this.topics.committedOffsets(groups.map((group) => group.groupId));
    const watermarks = new Map([
      [topic.name, topic.partitions.map(({ partition, low, high }) => ({ partition, low, high }))],
    ]);
    const result: TopicConsumerGroup[] = [];
    for (const group of groups) {
      const onTopic = (committed.get(group.groupId) ?? []).filter((entry) => entry.topic === topic.name);
      const readers = group.members.filter((member) =>
        member.assignments.some((assignment) => assignment.topic === topic.name),
      );
      if (onTopic.length === 0 && readers.length === 0) continue;
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
