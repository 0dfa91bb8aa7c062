import base from './jest.config.js';

/**
 * The security suite: one test per attack the product must turn away (exposure, forged input, floods,
 * personal data, several backends on one database), against the real stack (`npm run test:security`).
 */
export default {
  ...base,
  displayName: 'backend:security',
  testMatch: ['<rootDir>/test/security/**/*.security-spec.ts'],
  testTimeout: 300_000,
};
