// What the common feature offers the others; the rest of the folder is its own.
export * from './client-address.js';
export * from './openapi.js';
export * from './personal-data.js';
export * from './request-guard.js';
export * from './request-id.js';
export * from './retry.js';
export * from './signed-cursor.js';
export * from './too-many-requests.exception.js';
export * from './with-timeout.js';
export * from './zod-validation.pipe.js';
