import { reachRing } from './cassandra.module.js';

const ring = (contactPoints: string[]) => ({
  contactPoints,
  localDataCenter: 'datacenter1',
  keyspace: 'k',
  replicationFactor: undefined,
  writeConsistency: undefined,
  readConsistency: undefined,
  seedKeyspace: 's',
});

describe('reachRing', () => {
  it('reaches discovered nodes on the port the contact points share', () => {
    const points = ['127.0.0.1:19042', '127.0.0.2:19042'];
    expect(reachRing(ring(points))).toEqual({
      contactPoints: points,
      localDataCenter: 'datacenter1',
      protocolOptions: { port: 19042 },
    });
  });

  it("uses Cassandra's default port when the contact points name none or disagree", () => {
    expect(reachRing(ring(['cassandra-1', 'cassandra-2'])).protocolOptions.port).toBe(9042);
    expect(reachRing(ring(['a:9042', 'b:9142'])).protocolOptions.port).toBe(9042);
  });
});
