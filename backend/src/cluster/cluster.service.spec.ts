import { jest } from '@jest/globals';
import { AppConfig } from '#src/config/app-config.js';
import { parseEnv } from '#src/config/config.schema.js';
import type { NodeFacts } from './cluster-view.js';
import { CLUSTER_CACHE_MS, ClusterService } from './cluster.service.js';
import type { BrokerAddress, ClusterRepository } from './cluster.repository.js';
import type { ClusterMetadata } from './kafka-metadata.client.js';

const config = new AppConfig(parseEnv({}));
const healthy: ClusterMetadata = {
  brokers: [
    { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
    { nodeId: 2, host: '127.0.0.1', port: 9094, rack: null },
  ],
  clusterId: 'c',
  controllerId: 1,
  topics: [
    {
      errorCode: 0,
      name: 'orders',
      internal: false,
      partitions: [
        { errorCode: 0, partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] },
      ],
    },
  ],
};
const node = {
  address: '127.0.0.1:9042',
  hostId: 'h1',
  dataCenter: 'datacenter1',
  rack: 'rack1',
  up: true,
  releaseVersion: '5.0.6',
  tokens: 16,
};
const nodeFacts: NodeFacts[] = [{ hostId: 'h1', schemaVersion: 'v1', releaseVersion: '5.0.6', load: 42 }];

/** A repository whose answers the test scripts: the service's rules are under test, not the stores. */
function scripted() {
  const state = {
    metadata: (): Promise<ClusterMetadata> => Promise.resolve(healthy),
    facts: (): Promise<NodeFacts[]> => Promise.resolve(nodeFacts),
    asked: [] as BrokerAddress[][],
    calls: 0,
  };
  const repository = {
    kafkaMetadata: (alsoAsk: BrokerAddress[]) => {
      state.calls += 1;
      state.asked.push(alsoAsk);
      return state.metadata();
    },
    cassandraHosts: () => [node],
    cassandraNodeFacts: () => state.facts(),
  } as unknown as ClusterRepository;
  return { state, service: new ClusterService(repository, config) };
}

describe('ClusterService', () => {
  it('remembers the brokers it saw, asks them too, and shows one that disappears as down', async () => {
    const { state, service } = scripted();
    const first = await service.status(0);
    expect(first.problems).toEqual([]);
    expect(first.cassandra.nodes[0]).toMatchObject({ state: 'up', load: 42, schemaVersion: 'v1' });

    state.metadata = () =>
      Promise.resolve({
        ...healthy,
        brokers: healthy.brokers.slice(0, 1),
        topics: [{ ...healthy.topics[0]!, partitions: [{ ...healthy.topics[0]!.partitions[0]!, isr: [1] }] }],
      });
    const second = await service.status(CLUSTER_CACHE_MS);
    expect(state.asked[1]).toEqual([
      { host: '127.0.0.1', port: 9092 },
      { host: '127.0.0.1', port: 9094 },
    ]);
    expect(second.kafka.brokers.find((broker) => broker.id === 2)).toMatchObject({
      state: 'down',
      port: 9094,
    });
    expect(second.problems).toEqual([
      'Kafka broker 2 (127.0.0.1:9094) is down',
      '1 Kafka partition is under-replicated',
    ]);
  });

  it('answers within its bounds when a store never does, reporting it', async () => {
    jest.useFakeTimers();
    try {
      const { state, service } = scripted();
      await service.status(0);
      state.metadata = () => new Promise(() => undefined);
      state.facts = () => new Promise(() => undefined);
      const answer = service.status(CLUSTER_CACHE_MS);
      await jest.advanceTimersByTimeAsync(10_000);
      const status = await answer;
      expect(status.kafka.error).toMatch(/no answer within/);
      expect(status.kafka.brokers.map((broker) => broker.state)).toEqual(['down', 'down']);
      expect(status.cassandra).toMatchObject({
        schemaAgreement: null,
        error: expect.stringMatching(/no answer/),
      });
      expect(status.cassandra.nodes[0]).toMatchObject({ state: 'up', schemaVersion: null });
    } finally {
      jest.useRealTimers();
    }
  });

  it('shares one check between callers for a short while', async () => {
    const { state, service } = scripted();
    await Promise.all([service.status(0), service.status(1)]);
    await service.status(CLUSTER_CACHE_MS - 1);
    expect(state.calls).toBe(1);
    await service.status(CLUSTER_CACHE_MS);
    expect(state.calls).toBe(2);
  });
});
