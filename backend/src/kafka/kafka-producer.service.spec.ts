import type { Message } from 'kafkajs';
import { chunkByBytes, MAX_REQUEST_BYTES, messageBytes } from './kafka-producer.service.js';

const record = (valueBytes: number): Message => ({
  key: '2af7c9d1-6e08-4b35-9c14-f8d3a0e5b762',
  value: Buffer.alloc(valueBytes),
  headers: { 'x-run-id': 'run' },
});

describe('chunkByBytes', () => {
  it('cuts requests by bytes, in order, each under the budget', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => record(1_000 + (i % 400)));
    const chunks = chunkByBytes(messages);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) {
      expect(chunk.reduce((sum, message) => sum + messageBytes(message), 0)).toBeLessThanOrEqual(
        MAX_REQUEST_BYTES,
      );
    }
    // full chunks, not a fixed count: 1.2 kB records fill 512 KiB with about 400 of them
    expect(chunks.length).toBeLessThan(7);
  });

  it('sends a record over the budget alone rather than not at all', () => {
    const chunks = chunkByBytes([record(10), record(MAX_REQUEST_BYTES), record(10)]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });

  it('counts string values by their UTF-8 bytes, and keyless records', () => {
    expect(messageBytes({ key: null, value: 'ü' })).toBe(messageBytes({ key: null, value: 'ab' }));
    expect(chunkByBytes([])).toEqual([]);
  });
});
