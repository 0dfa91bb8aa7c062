import type { ConsumerGroupDetail, PartitionLag, ProcessorsStatus } from '@userstream/contracts';
import { totalLag } from '#src/kafka/index.js';

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The processors' group as its members see it: each member with the partitions assigned to it and the group's
 * lag on each (end offset - committed offset), members ordered by client id then member id; partitions with
 * offsets that no member owns are listed apart.
 */
export function processorsStatus(group: ConsumerGroupDetail): ProcessorsStatus {
  const lags = new Map(group.offsets.map((entry) => [key(entry.topic, entry.partition), entry]));
  const owned = new Set<string>();
  const members = group.memberDetails
    .map((member) => {
      const partitions: PartitionLag[] = member.assignments.flatMap(({ topic, partitions: ids }) =>
        ids.flatMap((partition) => {
          owned.add(key(topic, partition));
          const lag = lags.get(key(topic, partition));
          return lag ? [lag] : [];
        }),
      );
      partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
      return {
        memberId: member.memberId,
        clientId: member.clientId,
        host: member.host,
        partitions,
        lag: totalLag(partitions),
      };
    })
    .sort((a, b) => a.clientId.localeCompare(b.clientId) || a.memberId.localeCompare(b.memberId));
  return {
    groupId: group.groupId,
    state: group.state,
    members,
    unassigned: group.offsets.filter((entry) => !owned.has(key(entry.topic, entry.partition))),
    totalLag: group.totalLag,
  };
}
