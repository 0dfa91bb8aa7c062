// What the metrics feature offers the others; the rest of the folder is its own.
export * from './metrics.service.js';
