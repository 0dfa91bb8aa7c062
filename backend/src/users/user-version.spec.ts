import { versionMicros } from './user-version.js';

describe('versionMicros', () => {
  const at = new Date('2026-12-03T10:00:00.123Z');

  it('is the ingest time in microseconds, with the Kafka offset below the millisecond', () => {
    expect(versionMicros(at, null)).toBe(BigInt(at.getTime()) * 1000n);
    expect(versionMicros(at, '41')).toBe(BigInt(at.getTime()) * 1000n + 41n);
    expect(versionMicros(at, '123456789012')).toBe(BigInt(at.getTime()) * 1000n + 12n);
  });

  it('orders by time first: a later record wins whatever its offset', () => {
    const later = new Date(at.getTime() + 1);
    expect(versionMicros(later, '0')).toBeGreaterThan(versionMicros(at, '999'));
    expect(versionMicros(at, '7')).toBeGreaterThan(versionMicros(at, '6'));
  });
});
