import { BatchSampler, samplingRatio } from './batch-sampler.js';

describe('BatchSampler', () => {
  it('keeps everything, in order, up to its capacity', () => {
    const sampler = new BatchSampler<number>(5);
    [1, 2, 3].forEach((n) => sampler.offer(n));
    expect(sampler.drain()).toEqual({ items: [1, 2, 3], total: 3 });
    expect(sampler.drain()).toEqual({ items: [], total: 0 });
  });

  it('above its capacity keeps a sample of exactly the capacity, in arrival order, and counts all', () => {
    const sampler = new BatchSampler<number>(200);
    for (let n = 0; n < 10_000; n++) {
      sampler.offer(n);
    }
    const { items, total } = sampler.drain();
    expect(total).toBe(10_000);
    expect(items).toHaveLength(200);
    expect([...items].sort((a, b) => a - b)).toEqual(items);
    expect(new Set(items).size).toBe(200);
  });

  it('samples uniformly: late items are as likely to be kept as early ones', () => {
    const sampler = new BatchSampler<number>(100);
    let late = 0;
    for (let round = 0; round < 50; round++) {
      for (let n = 0; n < 1_000; n++) {
        sampler.offer(n);
      }
      late += sampler.drain().items.filter((n) => n >= 500).length;
    }
    // 5,000 kept in all, about half from the second half of each interval
    expect(late / 5_000).toBeGreaterThan(0.45);
    expect(late / 5_000).toBeLessThan(0.55);
  });
});

describe('samplingRatio', () => {
  it('is 1 when nothing was left out, otherwise at least 2', () => {
    expect(samplingRatio(10, 10)).toBe(1);
    expect(samplingRatio(0, 0)).toBe(1);
    expect(samplingRatio(200, 1_000)).toBe(5);
    expect(samplingRatio(200, 201)).toBe(2);
  });
});
