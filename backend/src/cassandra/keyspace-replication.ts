import type { ConsistencyName } from '#src/config/index.js';

/** How the product's keyspaces are replicated, and the consistency its writes and reads ask for. */
export interface KeyspaceReplication {
  replicationFactor: number;
  /** The CQL replication map: NetworkTopologyStrategy in the local data center. */
  replication: Record<string, string>;
  writeConsistency: ConsistencyName;
  readConsistency: ConsistencyName;
}

/** Settings the ring cannot satisfy: boot stops with this message rather than create a weaker keyspace. */
export class KeyspaceSettingsError extends Error {}

/**
 * min(3, nodes in the data center) copies by default; from three copies on, LOCAL_QUORUM for writes and reads
 * (two of three agree, so one node may be down and a read still sees every acknowledged write), else LOCAL_ONE.
 */
export function keyspaceReplication(
  nodesInDataCenter: number,
  localDataCenter: string,
  configured: {
    replicationFactor?: number;
    writeConsistency?: ConsistencyName;
    readConsistency?: ConsistencyName;
  },
): KeyspaceReplication {
  const replicationFactor = configured.replicationFactor ?? Math.max(1, Math.min(3, nodesInDataCenter));
  if (replicationFactor > nodesInDataCenter) {
    throw new KeyspaceSettingsError(
      `CASSANDRA_REPLICATION_FACTOR=${replicationFactor}, but data center ${localDataCenter} has ` +
        `${nodesInDataCenter} node(s): lower it to ${nodesInDataCenter} or less, add nodes, or check ` +
        'CASSANDRA_LOCAL_DC',
    );
  }
  const fallback: ConsistencyName = replicationFactor >= 3 ? 'local_quorum' : 'local_one';
  return {
    replicationFactor,
    replication: { class: 'NetworkTopologyStrategy', [localDataCenter]: String(replicationFactor) },
    writeConsistency: configured.writeConsistency ?? fallback,
    readConsistency: configured.readConsistency ?? fallback,
  };
}

/** The replication map as CQL: `{'class': 'NetworkTopologyStrategy', 'dc1': '3'}`. */
export const replicationCql = (replication: Record<string, string>): string =>
  `{${Object.entries(replication)
    .map(([key, value]) => `'${key}': '${value}'`)
    .join(', ')}}`;

/**
 * Whether a keyspace's stored replication map differs from the wanted one. Cassandra stores the class by its
 * full name (org.apache.cassandra.locator.NetworkTopologyStrategy).
 */
export function replicationDiffers(stored: Record<string, string>, wanted: Record<string, string>): boolean {
  const normal = (map: Record<string, string>) =>
    JSON.stringify(
      Object.entries(map)
        .map(([key, value]) => [key, key === 'class' ? value.replace(/^.*\./, '') : value])
        .sort(),
    );
  return normal(stored) !== normal(wanted);
}
