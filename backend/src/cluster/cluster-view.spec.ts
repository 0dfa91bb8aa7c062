import {
  cassandraStatus,
  clusterProblems,
  type DriverHost,
  type KnownBroker,
  kafkaStatus,
} from './cluster-view.js';
import type { ClusterMetadata, MetadataPartition } from './kafka-metadata.client.js';

const broker = (nodeId: number) => ({ nodeId, host: '127.0.0.1', port: 9090 + 2 * nodeId, rack: null });
const partition = (
  id: number,
  leader: number,
  replicas: number[],
  isr = replicas,
  offlineReplicas: number[] = [],
): MetadataPartition => ({ errorCode: 0, partition: id, leader, replicas, isr, offlineReplicas });
const metadata = (brokers: number[], partitions: MetadataPartition[], controllerId = 1): ClusterMetadata => ({
  brokers: brokers.map(broker),
  clusterId: 'cluster-a',
  controllerId,
  topics: [{ errorCode: 0, name: 'orders', internal: false, partitions }],
});
const noneKnown = new Map<number, KnownBroker>();

describe('kafkaStatus', () => {
  it('counts, on a healthy 3-broker cluster, the partitions each broker leads and holds', () => {
    const status = kafkaStatus(
      metadata(
        [1, 2, 3],
        [partition(0, 1, [1, 2, 3]), partition(1, 2, [2, 3, 1]), partition(2, 3, [3, 1, 2])],
        2,
      ),
      noneKnown,
    );
    expect(status).toMatchObject({
      clusterId: 'cluster-a',
      controllerId: 2,
      topics: 1,
      partitions: 3,
      underReplicatedPartitions: 0,
      offlinePartitions: 0,
      error: null,
    });
    expect(status.brokers).toEqual(
      [1, 2, 3].map((id) => ({
        id,
        host: '127.0.0.1',
        port: 9090 + 2 * id,
        rack: null,
        state: 'up',
        isController: id === 2,
        partitionsLed: 1,
        replicas: 3,
        underReplicatedPartitions: 0,
        outOfSyncReplicas: 0,
        offlinePartitions: 0,
      })),
    );
  });

  it('shows a broker that left the metadata as down, from the replicas naming it, with the partitions it no longer syncs', () => {
    // broker 3 died: leadership moved to 1 and 2, it fell out of every ISR
    const status = kafkaStatus(
      metadata(
        [1, 2],
        [
          partition(0, 1, [1, 2, 3], [1, 2], [3]),
          partition(1, 2, [2, 3, 1], [2, 1], [3]),
          partition(2, 1, [3, 1, 2], [1, 2], [3]),
          partition(3, 2, [1, 2], [1, 2]),
        ],
      ),
      noneKnown,
    );
    expect(status.underReplicatedPartitions).toBe(3);
    expect(status.offlinePartitions).toBe(0);
    const lost = status.brokers.find((entry) => entry.id === 3);
    expect(lost).toEqual({
      id: 3,
      host: null,
      port: null,
      rack: null,
      state: 'down',
      isController: false,
      partitionsLed: 0,
      replicas: 3,
      underReplicatedPartitions: 0,
      outOfSyncReplicas: 3,
      offlinePartitions: 0,
    });
    expect(status.brokers.find((entry) => entry.id === 1)).toMatchObject({
      state: 'up',
      partitionsLed: 2,
      underReplicatedPartitions: 2,
      outOfSyncReplicas: 0,
    });
    expect(status.brokers.find((entry) => entry.id === 2)).toMatchObject({
      partitionsLed: 2,
      underReplicatedPartitions: 1,
    });
  });

  it('keeps the address of a lost broker seen before, even one that held no replica', () => {
    const known = new Map<number, KnownBroker>([
      [1, { host: '127.0.0.1', port: 9092, rack: null }],
      [4, { host: '10.0.0.4', port: 9092, rack: 'r2' }],
    ]);
    const status = kafkaStatus(metadata([1], [partition(0, 1, [1])]), known);
    expect(status.brokers.map(({ id, host, state }) => ({ id, host, state }))).toEqual([
      { id: 1, host: '127.0.0.1', state: 'up' },
      { id: 4, host: '10.0.0.4', state: 'down' },
    ]);
  });

  it('counts partitions without a live leader as offline, against each broker holding them', () => {
    // a single-copy partition on lost broker 2, and one whose metadata still names lost broker 3 as leader
    const status = kafkaStatus(
      metadata([1], [partition(0, -1, [2], [2], [2]), partition(1, 3, [3, 1], [3]), partition(2, 1, [1])]),
      noneKnown,
    );
    expect(status.offlinePartitions).toBe(2);
    expect(status.underReplicatedPartitions).toBe(1);
    expect(
      status.brokers.map(({ id, state, partitionsLed, offlinePartitions }) => ({
        id,
        state,
        partitionsLed,
        offlinePartitions,
      })),
    ).toEqual([
      { id: 1, state: 'up', partitionsLed: 1, offlinePartitions: 1 },
      { id: 2, state: 'down', partitionsLed: 0, offlinePartitions: 1 },
      { id: 3, state: 'down', partitionsLed: 0, offlinePartitions: 1 },
    ]);
  });

  it('lists every broker seen before as down with the error when no broker answered', () => {
    const known = new Map<number, KnownBroker>([[1, { host: '127.0.0.1', port: 9092, rack: null }]]);
    const status = kafkaStatus(null, known, 'connect ECONNREFUSED 127.0.0.1:9092');
    expect(status).toMatchObject({
      clusterId: null,
      controllerId: null,
      partitions: 0,
      error: 'connect ECONNREFUSED 127.0.0.1:9092',
      brokers: [{ id: 1, host: '127.0.0.1', state: 'down', isController: false }],
    });
  });
});

const host = (n: number, overrides: Partial<DriverHost> = {}): DriverHost => ({
  address: `127.0.0.${n}:9042`,
  hostId: `host-${n}`,
  dataCenter: 'datacenter1',
  rack: 'rack1',
  up: true,
  releaseVersion: '5.0.6',
  tokens: 16,
  ...overrides,
});
const facts = (n: number, schemaVersion: string, load: number | null = 1_000 * n) => ({
  hostId: `host-${n}`,
  schemaVersion,
  releaseVersion: '5.0.6',
  load,
});

describe('cassandraStatus', () => {
  it('joins the driver view of a 3-node ring with each node schema version and load', () => {
    const status = cassandraStatus(
      'datacenter1',
      [host(3), host(1), host(2)],
      [facts(1, 'v1'), facts(2, 'v1'), facts(3, 'v1', null)],
    );
    expect(status.schemaAgreement).toBe(true);
    expect(status.error).toBeNull();
    expect(status.nodes).toEqual([
      {
        address: '127.0.0.1:9042',
        hostId: 'host-1',
        dataCenter: 'datacenter1',
        rack: 'rack1',
        state: 'up',
        load: 1_000,
        schemaVersion: 'v1',
        releaseVersion: '5.0.6',
        tokens: 16,
      },
      expect.objectContaining({ address: '127.0.0.2:9042', load: 2_000 }),
      expect.objectContaining({ address: '127.0.0.3:9042', load: null, schemaVersion: 'v1' }),
    ]);
  });

  it('shows a node the driver lost as down, and judges agreement on the nodes that are up', () => {
    // node 3 is down with a stale schema version in the peers table: not a disagreement
    const status = cassandraStatus(
      'datacenter1',
      [host(1), host(2), host(3, { up: false })],
      [facts(1, 'v2'), facts(2, 'v2'), facts(3, 'v1')],
    );
    expect(status.nodes.map((node) => node.state)).toEqual(['up', 'up', 'down']);
    expect(status.schemaAgreement).toBe(true);
  });

  it('reports a schema disagreement among nodes that are up', () => {
    const status = cassandraStatus(
      'datacenter1',
      [host(1), host(2), host(3)],
      [facts(1, 'v2'), facts(2, 'v1'), facts(3, 'v2')],
    );
    expect(status.schemaAgreement).toBe(false);
  });

  it('leaves agreement unknown when the system tables could not be read', () => {
    const status = cassandraStatus('datacenter1', [host(1), host(2)], [], 'no answer within 3000 ms');
    expect(status).toMatchObject({ schemaAgreement: null, error: 'no answer within 3000 ms' });
    expect(status.nodes.map((node) => [node.schemaVersion, node.load, node.releaseVersion])).toEqual([
      [null, null, '5.0.6'],
      [null, null, '5.0.6'],
    ]);
  });
});

describe('clusterProblems', () => {
  it('says nothing about a healthy cluster', () => {
    const kafka = kafkaStatus(metadata([1, 2, 3], [partition(0, 1, [1, 2, 3])]), noneKnown);
    const cassandra = cassandraStatus('datacenter1', [host(1), host(2)], [facts(1, 'v1'), facts(2, 'v1')]);
    expect(clusterProblems(kafka, cassandra)).toEqual([]);
  });

  it('names lost brokers and nodes, partition trouble and schema disagreement', () => {
    const known = new Map<number, KnownBroker>([[3, { host: '127.0.0.1', port: 9096, rack: null }]]);
    // KRaft keeps the last in-sync replica of a partition whose only copy is lost: offline, not under-replicated
    const kafka = kafkaStatus(
      metadata([1, 2], [partition(0, 1, [1, 2, 3], [1, 2]), partition(1, -1, [3], [3])]),
      known,
    );
    const cassandra = cassandraStatus(
      'datacenter1',
      [host(1), host(2), host(3, { up: false })],
      [facts(1, 'v1'), facts(2, 'v2')],
    );
    expect(clusterProblems(kafka, cassandra)).toEqual([
      'Kafka broker 3 (127.0.0.1:9096) is down',
      '1 Kafka partition is offline (no leader)',
      '1 Kafka partition is under-replicated',
      'Cassandra node 127.0.0.3:9042 (datacenter1) is down',
      'Cassandra nodes disagree on the schema (2 versions)',
    ]);
  });

  it('says when a cluster could not be asked at all', () => {
    const kafka = kafkaStatus(null, noneKnown, 'no answer within 3000 ms');
    const cassandra = cassandraStatus('datacenter1', [host(1)], [], 'the driver holds no connection');
    expect(clusterProblems(kafka, cassandra)).toEqual([
      'Kafka did not answer: no answer within 3000 ms',
      'Cassandra system tables unreadable: the driver holds no connection',
    ]);
  });
});
