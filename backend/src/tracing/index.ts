// What the tracing feature offers the others; the rest of the folder is its own.
export * from './tracing.service.js';
