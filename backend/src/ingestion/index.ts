// What the ingestion feature offers the others; the rest of the folder is its own.
export * from './runs/ingestion-run-event.entity.js';
export * from './schedules/ingestion-schedule.entity.js';
export * from './sources/synthetic/synthetic.source.js';
