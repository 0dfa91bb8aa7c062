import { randomUUID } from 'node:crypto';
import { loadConfig } from '#src/config/config.module.js';

/** Config for integration tests: the real local stack, defaults unless the environment says otherwise. */
export const intConfig = (overrides: Record<string, string> = {}) =>
  loadConfig({
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    RATE_LIMIT_HANDSHAKES_PER_MINUTE: '1000000',
    RATE_LIMIT_BROWSE_PER_MINUTE: '1000000',
    ...process.env,
    ...overrides,
  });

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
