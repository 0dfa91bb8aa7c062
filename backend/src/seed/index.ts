// What the seed feature offers the others; the rest of the folder is its own.
export * from './seed-users.stream.js';
export * from './seed.module.js';
