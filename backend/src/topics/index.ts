// What the topics feature offers the others; the rest of the folder is its own.
export * from './consumer-groups.service.js';
export * from './message-codec.js';
export * from './topics.module.js';
