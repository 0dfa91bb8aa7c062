export * from './auth.js';
export * from './errors.js';
export * from './health.js';
export * from './ingestion.js';
export * from './kafka.js';
export * from './users.js';
