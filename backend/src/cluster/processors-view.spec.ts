import type { ConsumerGroupDetail, PartitionLag } from '@userstream/contracts';
import { processorsStatus } from './processors-view.js';

const RAW = 'userstream.users.raw';
const SEED = 'users_created';
const lag = (topic: string, partition: number, committed: number | null, high: number): PartitionLag => ({
  topic,
  partition,
  committed,
  low: 0,
  high,
  lag: high - (committed ?? 0),
});
const offsets = [
  ...[0, 1, 2, 3, 4, 5].map((p) => lag(RAW, p, 100 * p, 100 * p + p)),
  lag(SEED, 0, 5, 5),
  lag(SEED, 1, null, 2),
];
const group = (memberDetails: ConsumerGroupDetail['memberDetails']): ConsumerGroupDetail => ({
  groupId: 'userstream-processor',
  state: memberDetails.length ? 'Stable' : 'Empty',
  protocolType: 'consumer',
  protocol: 'RoundRobinAssigner',
  members: memberDetails.length,
  memberDetails,
  offsets,
  totalLag: offsets.reduce((sum, entry) => sum + entry.lag, 0),
  trend: { at: [], total: [], partitions: [] },
});

describe('processorsStatus', () => {
  it('gives each processor its partitions with their lag, ordered, and its own total', () => {
    const status = processorsStatus(
      group([
        {
          memberId: 'userstream-b',
          clientId: 'userstream',
          host: '/10.0.0.2',
          assignments: [
            { topic: RAW, partitions: [1, 3, 5] },
            { topic: SEED, partitions: [1] },
          ],
        },
        {
          memberId: 'userstream-a',
          clientId: 'userstream',
          host: '/10.0.0.1',
          assignments: [
            { topic: SEED, partitions: [0] },
            { topic: RAW, partitions: [0, 2, 4] },
          ],
        },
      ]),
    );
    expect(status.members.map((member) => member.memberId)).toEqual(['userstream-a', 'userstream-b']);
    const [a, b] = status.members;
    expect(a!.partitions.map(({ topic, partition }) => `${topic}/${partition}`)).toEqual([
      `${SEED}/0`,
      `${RAW}/0`,
      `${RAW}/2`,
      `${RAW}/4`,
    ]);
    expect(a!.lag).toBe(0 + 2 + 4 + 0);
    expect(b!.partitions.find((entry) => entry.topic === SEED)).toEqual(lag(SEED, 1, null, 2));
    expect(b!.lag).toBe(1 + 3 + 5 + 2);
    expect(status.unassigned).toEqual([]);
    expect(status.totalLag).toBe(a!.lag + b!.lag);
  });

  it('lists the partitions nobody owns, as when no processor runs', () => {
    const status = processorsStatus(group([]));
    expect(status).toMatchObject({ state: 'Empty', members: [], totalLag: 17 });
    expect(status.unassigned).toEqual(offsets);
  });
});
