// What the history feature offers the others; the rest of the folder is its own.
export * from './history.module.js';
export * from './history.service.js';
export * from './run-curve-point.entity.js';
export * from './throughput-sample.entity.js';
