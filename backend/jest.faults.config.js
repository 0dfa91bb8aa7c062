import base from './jest.config.js';

/**
 * The fault suite: kills, outages and bad input against the real stack (`npm run test:faults`). It stops
 * and starts the stack's own Kafka and Cassandra, so it runs alone, one file at a time.
 */
export default {
  ...base,
  displayName: 'backend:faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 600_000,
  // kafkajs and the pg pool keep timers for a moment after the stores were restarted under them
  forceExit: true,
  globalSetup: '<rootDir>/test/faults/global-setup.js',
  globalTeardown: '<rootDir>/test/faults/global-teardown.js',
};
