import { IngestLatency, percentile } from './ingest-latency.js';

const record = (ingestedAt: string | null) => Buffer.from(JSON.stringify({ id: 'x', ingestedAt }));

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });
});

describe('IngestLatency', () => {
  const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('measures from ingestedAt to the processed record timestamp, per interval', () => {
    const latency = new IngestLatency();
    for (let i = 1; i <= 100; i++) {
      latency.offer(record(new Date(T0).toISOString()), T0 + i * 10);
    }
    expect(latency.drain()).toEqual({ p50: 500, p99: 990 });
    expect(latency.drain()).toBeNull();
  });

  it('skips records without a lineage or not JSON, and never goes below zero', () => {
    const latency = new IngestLatency();
    latency.offer(record(null), T0);
    latency.offer(Buffer.from('not json'), T0);
    expect(latency.drain()).toBeNull();
    latency.offer(record(new Date(T0 + 5).toISOString()), T0);
    expect(latency.drain()).toEqual({ p50: 0, p99: 0 });
  });

  it('measures a bounded sample however many records arrive', () => {
    const latency = new IngestLatency(8);
    for (let i = 0; i < 1_000; i++) {
      latency.offer(record(new Date(T0).toISOString()), T0 + 100);
    }
    expect(latency.drain()).toEqual({ p50: 100, p99: 100 });
  });
});
