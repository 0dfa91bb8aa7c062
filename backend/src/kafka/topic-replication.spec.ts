import { ReplicationSettingsError, topicReplication } from './topic-replication.js';

describe('topicReplication', () => {
  it('keeps min(3, brokers) copies and asks for two in sync from three copies on', () => {
    expect(topicReplication(1, {})).toEqual({ replicationFactor: 1, minInsyncReplicas: undefined });
    expect(topicReplication(2, {})).toEqual({ replicationFactor: 2, minInsyncReplicas: undefined });
    expect(topicReplication(3, {})).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplication(5, {})).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('takes the settings when given', () => {
    expect(topicReplication(5, { replicationFactor: 5, minInsyncReplicas: 3 })).toEqual({
      replicationFactor: 5,
      minInsyncReplicas: 3,
    });
    expect(topicReplication(3, { replicationFactor: 2 })).toEqual({
      replicationFactor: 2,
      minInsyncReplicas: undefined,
    });
  });

  it('refuses what the cluster cannot satisfy, saying what to change', () => {
    expect(() => topicReplication(1, { replicationFactor: 3 })).toThrow(
      new ReplicationSettingsError(
        'KAFKA_REPLICATION_FACTOR=3, but the cluster has 1 broker(s): lower it to 1 or less, or add brokers',
      ),
    );
    expect(() => topicReplication(3, { minInsyncReplicas: 4 })).toThrow(/exceeds the replication factor 3/);
  });
});
