import { Init1764400000000 } from './1764400000000-init.js';

/** Every PostgreSQL migration, in order. Listed explicitly so `src` (tests) and `dist` behave alike. */
export const migrations = [Init1764400000000];
