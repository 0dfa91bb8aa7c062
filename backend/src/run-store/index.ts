// What the run-store feature offers the others; the rest of the folder is its own.
export * from './ingestion-run.entity.js';
export * from './run-store.module.js';
export * from './run.mapper.js';
export * from './runs.repository.js';
