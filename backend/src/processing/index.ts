// What the processing feature offers the others; the rest of the folder is its own.
export * from './record-stream.js';
