import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then one request per 60 s / perMinute, saying how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 100, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(20_000);
    now = 10_000;
    expect(limiter.take('a')).toBe(10_000); // a refused request costs nothing
    now = 20_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(20_000);
  });

  it('keeps one budget per client', () => {
    const limiter = new RateLimiter(1, 100, () => 0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.take('b')).toBe(0);
  });

  it('never stores more than a minute of requests while idle', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 100, () => now);
    limiter.take('a');
    now = 3_600_000;
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('remembers at most maxClients, forgetting (forgiving) the least recently seen', () => {
    const limiter = new RateLimiter(1, 2, () => 0);
    for (const client of ['a', 'b', 'c']) {
      limiter.take(client);
    }
    expect(limiter.take('a')).toBe(0); // forgotten, so a full bucket again
    expect(limiter.take('c')).toBeGreaterThan(0);
  });
});
