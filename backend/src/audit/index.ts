// What the audit feature offers the others; the rest of the folder is its own.
export * from './audit-log.entity.js';
export * from './audit.module.js';
export * from './audit.service.js';
