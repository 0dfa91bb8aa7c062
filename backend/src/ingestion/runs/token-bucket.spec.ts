import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a full bucket through at once, then paces at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 50, () => now);
    expect(bucket.reserve(50)).toBe(0);
    expect(bucket.reserve(10)).toBeCloseTo(100); // 10 tokens at 100/s
    now = 100;
    expect(bucket.reserve(10)).toBeCloseTo(100);
  });

  it('never stores more than its capacity while idle', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 100, () => now);
    bucket.reserve(100);
    now = 60_000;
    expect(bucket.reserve(100)).toBe(0);
    expect(bucket.reserve(100)).toBeCloseTo(100);
  });
});
