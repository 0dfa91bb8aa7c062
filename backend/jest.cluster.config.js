import base from './jest.config.js';

/**
 * The cluster fault suite (`npm run test:cluster`): three brokers and three Cassandra nodes of the test stack,
 * one of them killed under a running pipeline. It runs alone, one file at a time, and prints the table of what
 * each fault did to the data, as the fault suite does.
 */
export default {
  ...base,
  displayName: 'backend:cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  testTimeout: 900_000,
  forceExit: true,
  globalSetup: '<rootDir>/test/faults/global-setup.js',
  globalTeardown: '<rootDir>/test/faults/global-teardown.js',
};
