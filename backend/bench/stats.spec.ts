import { median, percentile, perSecond, ratio, spread } from './stats.js';

describe('bench statistics', () => {
  it('median of an odd and an even number of samples, whatever their order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('percentiles interpolate between the closest ranks', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 25)).toBe(20);
    expect(percentile(values, 90)).toBeCloseTo(46);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBeCloseTo(99.01);
    expect(percentile(hundred, 50)).toBeCloseTo(50.5);
  });

  it('spread gives median, min, max and the sample count, without reordering the input', () => {
    const samples = [12_000, 9_000, 15_000, 11_000];
    expect(spread(samples)).toEqual({ median: 11_500, min: 9_000, max: 15_000, n: 4 });
    expect(samples).toEqual([12_000, 9_000, 15_000, 11_000]);
  });

  it('refuses what has no meaningful answer', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => spread([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(() => perSecond(10, 0)).toThrow(RangeError);
    expect(ratio(5, 0)).toBeNull();
  });

  it('rates and ratios', () => {
    expect(perSecond(30_000, 1_500)).toBe(20_000);
    expect(ratio(7_000, 10_000)).toBeCloseTo(0.7);
  });
});
