// What the database feature offers the others; the rest of the folder is its own.
export * from './bigint-number.js';
