import { describe, expect, it } from 'vitest';
import {
  bucketLowerEdge,
  bucketOfMinutes,
  bucketUpperEdge,
  emptyHistogram,
  HISTOGRAM_BUCKETS,
  MEDIAN_RELATIVE_ERROR_BOUND,
  medianFromHistogram,
  packHistogram,
  unpackHistogram,
} from './stats-histogram.ts';
import { seededRandom } from './stats-test-support.ts';

function histogramOf(minutes: number[]): number[] {
  const histogram = emptyHistogram();
  for (const value of minutes) histogram[bucketOfMinutes(value)]! += 1;
  return histogram;
}

/** The ⌈n/2⌉-th smallest value (SQL percentile_disc(0.5)). */
function lowerMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

describe('duration histograms', () => {
  it('have contiguous buckets, eight per doubling, from 0 to 2^20 minutes and beyond', () => {
    expect(HISTOGRAM_BUCKETS).toBe(162);
    expect(bucketLowerEdge(0)).toBe(0);
    expect(bucketUpperEdge(0)).toBe(1);
    for (let bucket = 1; bucket < HISTOGRAM_BUCKETS - 1; bucket += 1) {
      expect(bucketLowerEdge(bucket)).toBeCloseTo(bucketUpperEdge(bucket - 1), 9);
      expect(bucketUpperEdge(bucket) / bucketLowerEdge(bucket)).toBeCloseTo(2 ** (1 / 8), 12);
    }
    expect(bucketLowerEdge(HISTOGRAM_BUCKETS - 1)).toBe(2 ** 20);
    expect(bucketUpperEdge(HISTOGRAM_BUCKETS - 1)).toBe(Number.POSITIVE_INFINITY);
    expect(MEDIAN_RELATIVE_ERROR_BOUND).toBeCloseTo(0.0905, 4);
  });

  it('put each duration in the bucket whose edges hold it', () => {
    const random = seededRandom(7);
    for (let index = 0; index < 10_000; index += 1) {
      const minutes = 2 ** (random() * 22) - 1;
      const bucket = bucketOfMinutes(minutes);
      expect(minutes).toBeGreaterThanOrEqual(bucketLowerEdge(bucket) * (1 - 1e-12));
      expect(minutes).toBeLessThan(bucketUpperEdge(bucket) * (1 + 1e-12));
    }
    expect(bucketOfMinutes(-5)).toBe(0);
    expect(bucketOfMinutes(0.99)).toBe(0);
    expect(bucketOfMinutes(1)).toBe(1);
    expect(bucketOfMinutes(1e12)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('give no median for an empty histogram', () => {
    expect(medianFromHistogram(emptyHistogram())).toBeNull();
  });

  it('give a median within 9.05 % of the true one (within a minute below one minute)', () => {
    const random = seededRandom(20_260_101);
    let worst = 0;
    for (let trial = 0; trial < 2_000; trial += 1) {
      const count = 1 + Math.floor(random() * 60);
      // Log-normal-ish durations: minutes to weeks, the spread of real acknowledgements and answers.
      const centre = 2 ** (random() * 14);
      const values = Array.from({ length: count }, () => centre * 2 ** ((random() - 0.5) * 6));
      const truth = lowerMedian(values);
      const estimate = medianFromHistogram(histogramOf(values))!;
      if (truth >= 1) {
        const error = Math.abs(estimate - truth) / truth;
        worst = Math.max(worst, error);
        expect(error).toBeLessThan(MEDIAN_RELATIVE_ERROR_BOUND);
      } else {
        expect(Math.abs(estimate - truth)).toBeLessThan(1);
      }
    }
    expect(worst).toBeGreaterThan(0);
  });

  it('answer the lower edge of the open-ended last bucket (a lower bound)', () => {
    expect(medianFromHistogram(histogramOf([3e6, 4e6, 5e6]))).toBe(2 ** 20);
  });

  it('take the lower of the two middle values for an even count', () => {
    const estimate = medianFromHistogram(histogramOf([10, 10, 1000, 1000]))!;
    expect(Math.abs(estimate - 10) / 10).toBeLessThan(MEDIAN_RELATIVE_ERROR_BOUND);
  });

  it('pack into one number, eight digits per bucket, so that adding the numbers adds the histograms', () => {
    const random = seededRandom(99);
    let total = 0n;
    const sum = emptyHistogram();
    for (let index = 0; index < 50; index += 1) {
      const histogram = emptyHistogram().map(() => (random() < 0.2 ? Math.floor(random() * 5_000) : 0));
      expect(unpackHistogram(packHistogram(histogram))).toEqual(histogram);
      total += BigInt(packHistogram(histogram));
      histogram.forEach((count, bucket) => (sum[bucket]! += count));
    }
    expect(unpackHistogram(total.toString())).toEqual(sum);
    expect(unpackHistogram('0')).toEqual(emptyHistogram());
    expect(unpackHistogram(null)).toEqual(emptyHistogram());
    const one = emptyHistogram();
    one[161] = 99_999_999;
    one[0] = 1;
    expect(packHistogram(one)).toBe(`99999999${'0'.repeat(8 * 160)}00000001`);
    expect(unpackHistogram(packHistogram(one))).toEqual(one);
  });
});
