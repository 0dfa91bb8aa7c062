import { Inject, Injectable } from '@nestjs/common';
import { type Admin, AssignerProtocol, type Kafka } from 'kafkajs';
import { GroupState } from '@userstream/contracts';
import { TopicException, TopicExceptionCode } from './topic.exception.js';
import { withAdmin } from './kafka-admin.repository.js';
import { KAFKA } from './kafka.client.js';

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
}

/** Broker answers to an offset commit without a member id while the group has members. */
const MEMBER_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

/**
 * Consumer groups as the brokers know them: described, and their offsets set. Their committed offsets are read
 * with the topics' watermarks, in KafkaAdminRepository. kafkajs errors leave as TopicExceptions.
 */
@Injectable()
export class ConsumerGroupsRepository {
  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  /** Every group the brokers know, described (state, protocol, members and their assignments). */
  describeAllGroups(): Promise<GroupDescription[]> {
    return withAdmin(this.kafka, undefined, async (admin) => {
      const { groups } = await admin.listGroups();
      const ids = [...new Set(groups.map((group) => group.groupId))];
      if (ids.length === 0) {
        return [];
      }
      return this.describe(admin, ids);
    });
  }

  /** null when the broker does not know the group. */
  describeGroup(groupId: string): Promise<GroupDescription | null> {
    return withAdmin(this.kafka, groupId, async (admin) => {
      const [group] = await this.describe(admin, [groupId]);
      return group && group.state !== 'Dead' ? group : null;
    });
  }

  /**
   * Commits the given offsets for a group on one topic (kafkajs seeks with a consumer of the group that
   * reads nothing). Refused while the group has members, who would overwrite it: a GROUP_NOT_EMPTY too,
   * should a member join after the service checked.
   */
  setGroupOffsets(
    groupId: string,
    topic: string,
    partitions: { partition: number; offset: number }[],
  ): Promise<void> {
    return withAdmin(this.kafka, groupId, async (admin) => {
      try {
        await admin.setOffsets({
          groupId,
          topic,
          partitions: partitions.map(({ partition, offset }) => ({ partition, offset: String(offset) })),
        });
      } catch (error) {
        const { type, message } = error as { type?: unknown; message?: unknown };
        // kafkajs checks the group first and says so in words; the broker answers with a type
        const running = typeof message === 'string' && message.includes('no running instances');
        if (running || (typeof type === 'string' && MEMBER_ERRORS.has(type))) {
          throw new TopicException(
            TopicExceptionCode.GROUP_NOT_EMPTY,
            `${groupId}: the consumer group has active members`,
          );
        }
        throw error;
      }
    });
  }

  private async describe(admin: Admin, groupIds: string[]): Promise<GroupDescription[]> {
    const { groups } = await admin.describeGroups(groupIds);
    return groups.map((group) => ({
      groupId: group.groupId,
      state: GroupState.catch('Unknown').parse(group.state),
      protocolType: group.protocolType,
      protocol: group.protocol,
      members: group.members.map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        host: member.clientHost,
        assignments: group.protocolType === 'consumer' ? assignments(member.memberAssignment) : [],
      })),
    }));
  }
}

/** A consumer-protocol member's assignment; empty while the group rebalances or for foreign encodings. */
function assignments(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (buffer.length === 0) {
    return [];
  }
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort((a, b) => a - b),
    }));
  } catch {
    return [];
  }
}
