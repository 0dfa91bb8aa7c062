import {
  KeyspaceSettingsError,
  keyspaceReplication,
  replicationCql,
  replicationDiffers,
} from './keyspace-replication.js';

describe('keyspaceReplication', () => {
  it('keeps min(3, nodes) copies in the local data center, at LOCAL_QUORUM from three on', () => {
    expect(keyspaceReplication(1, 'datacenter1', {})).toEqual({
      replicationFactor: 1,
      replication: { class: 'NetworkTopologyStrategy', datacenter1: '1' },
      writeConsistency: 'local_one',
      readConsistency: 'local_one',
    });
    const ring = keyspaceReplication(6, 'eu', {});
    expect(ring.replication).toEqual({ class: 'NetworkTopologyStrategy', eu: '3' });
    expect([ring.writeConsistency, ring.readConsistency]).toEqual(['local_quorum', 'local_quorum']);
  });

  it('takes the settings when given', () => {
    const chosen = keyspaceReplication(3, 'dc1', {
      replicationFactor: 2,
      writeConsistency: 'all',
      readConsistency: 'one',
    });
    expect(chosen).toMatchObject({ replicationFactor: 2, writeConsistency: 'all', readConsistency: 'one' });
  });

  it('refuses more copies than the data center has nodes, naming the data center', () => {
    expect(() => keyspaceReplication(1, 'datacenter1', { replicationFactor: 3 })).toThrow(
      KeyspaceSettingsError,
    );
    // no node in the named data center: a misspelt CASSANDRA_LOCAL_DC
    expect(() => keyspaceReplication(0, 'dc-typo', {})).toThrow(/data center dc-typo has 0 node\(s\)/);
  });

  it('writes the map as CQL and compares it with what Cassandra stores', () => {
    const wanted = { class: 'NetworkTopologyStrategy', dc1: '3' };
    expect(replicationCql(wanted)).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': '3'}");
    const stored = { class: 'org.apache.cassandra.locator.NetworkTopologyStrategy', dc1: '3' };
    expect(replicationDiffers(stored, wanted)).toBe(false);
    expect(replicationDiffers({ ...stored, dc1: '1' }, wanted)).toBe(true);
    const simple = { class: 'org.apache.cassandra.locator.SimpleStrategy', replication_factor: '1' };
    expect(replicationDiffers(simple, { class: 'NetworkTopologyStrategy', dc1: '1' })).toBe(true);
  });
});
