import base from './jest.config.js';

/** Integration tests: real Kafka, Cassandra and PostgreSQL (bring them up with `npm run stack:up`). */
export default {
  ...base,
  displayName: 'backend:int',
  testMatch: ['<rootDir>/test/int/**/*.int-spec.ts'],
  testTimeout: 300_000,
};
