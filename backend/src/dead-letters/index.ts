// What the dead-letters feature offers the others; the rest of the folder is its own.
export * from './dead-letter.entity.js';
