// What the config feature offers the others; the rest of the folder is its own.
export * from './app-config.js';
export * from './config.module.js';
export * from './config.schema.js';
