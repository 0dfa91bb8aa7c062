// What the users feature offers the others; the rest of the folder is its own.
export * from './user-identity.js';
export * from './user-row.js';
export * from './user-row.limits.js';
export * from './users.module.js';
export * from './users.repository.js';
