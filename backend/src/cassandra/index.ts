// What the cassandra feature offers the others; the rest of the folder is its own.
export * from './batched-writes.js';
export * from './cassandra-migrator.js';
export * from './cassandra.module.js';
export * from './keyspace-replication.js';
export * from './write-errors.js';
