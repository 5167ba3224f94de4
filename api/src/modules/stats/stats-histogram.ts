/**
 * Duration histograms, as migration 0004 stores them (report_statistics_minutes_bucket): bucket 0 is
 * [0, 1) minute; bucket k, 1 ≤ k ≤ 160, is [2^((k-1)/8), 2^(k/8)) minutes, eight buckets per
 * doubling; bucket 161 is 2^20 minutes (≈ 728 days) and more. Keep these in step with the migration.
 *
 * Why a histogram: a median cannot be maintained incrementally, but bucket counts can; the median is
 * then read from the counts at a cost that does not depend on how many reports there are.
 */
export const HISTOGRAM_BUCKETS = 162;
export const BUCKETS_PER_DOUBLING = 8;
const LAST_BUCKET = HISTOGRAM_BUCKETS - 1;

/**
 * The database stores a histogram packed in one numeric: the count of bucket b is the b-th group of
 * eight decimal digits from the right, so that summing histograms is summing numbers (see migration
 * 0004). Read it as text, never as a JavaScript number.
 */
export const DIGITS_PER_BUCKET = 8;

/** Unpacks a histogram read as numeric text ('0' is empty; a negative value, impossible, reads as empty). */
export function unpackHistogram(packed: string | null | undefined): number[] {
  const histogram = emptyHistogram();
  if (!packed || packed.startsWith('-')) return histogram;
  const digits = packed.split('.')[0]!;
  for (let bucket = 0, end = digits.length; end > 0 && bucket < HISTOGRAM_BUCKETS; bucket += 1, end -= DIGITS_PER_BUCKET) {
    histogram[bucket] = Number(digits.slice(Math.max(0, end - DIGITS_PER_BUCKET), end));
  }
  return histogram;
}

/** The packed form of a histogram (tests compare it with what the database holds). */
export function packHistogram(histogram: readonly number[]): string {
  let packed = '';
  for (let bucket = histogram.length - 1; bucket >= 0; bucket -= 1) packed += String(histogram[bucket] ?? 0).padStart(DIGITS_PER_BUCKET, '0');
  return packed.replace(/^0+(?=\d)/, '');
}

/** The largest relative error of a median read from the histogram (minutes ≥ 1): 2^(1/8) − 1 ≈ 9.05 %. */
export const MEDIAN_RELATIVE_ERROR_BOUND = 2 ** (1 / BUCKETS_PER_DOUBLING) - 1;

/** Lower edge of a bucket, in minutes. */
export function bucketLowerEdge(bucket: number): number {
  return bucket === 0 ? 0 : 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING);
}

/** Upper edge of a bucket, in minutes (Infinity for the last one). */
export function bucketUpperEdge(bucket: number): number {
  return bucket === LAST_BUCKET ? Number.POSITIVE_INFINITY : 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

/** The bucket of a duration (mirrors the SQL function; used by tests and by nothing else). */
export function bucketOfMinutes(minutes: number): number {
  if (minutes < 1) return 0;
  return Math.min(LAST_BUCKET, 1 + Math.floor((BUCKETS_PER_DOUBLING * Math.log(minutes)) / Math.log(2)));
}

/** Adds `addend` into `sum` (both HISTOGRAM_BUCKETS long); a missing histogram is all zeros. */
export function addHistogram(sum: number[], addend: readonly number[] | null | undefined): number[] {
  if (!addend) return sum;
  for (let index = 0; index < HISTOGRAM_BUCKETS; index += 1) sum[index] = (sum[index] ?? 0) + (addend[index] ?? 0);
  return sum;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/**
 * The median of the durations counted in `histogram`, in minutes, or null when it counts nothing.
 *
 * "Median" is the ⌈n/2⌉-th smallest duration (for an even n, the lower of the two middle ones; SQL's
 * percentile_disc(0.5)). Its bucket is known exactly from the counts; inside the bucket the values are
 * assumed evenly spread and the i-th of m sits at (i − ½)/m of the bucket's width. The estimate and the
 * true value lie in the same bucket, so the error is less than the bucket's width: under 9.05 % of the
 * true value from one minute on, under one minute below it. From 2^20 minutes on (the open-ended last
 * bucket) the answer is that lower edge, a lower bound.
 */
export function medianFromHistogram(histogram: readonly number[]): number | null {
  let total = 0;
  for (const count of histogram) total += count;
  if (total <= 0) return null;
  const rank = Math.ceil(total / 2);
  let before = 0;
  for (let bucket = 0; bucket < histogram.length; bucket += 1) {
    const count = histogram[bucket] ?? 0;
    if (count > 0 && before + count >= rank) {
      const lower = bucketLowerEdge(bucket);
      const upper = bucketUpperEdge(bucket);
      if (!Number.isFinite(upper)) return lower;
      return lower + ((upper - lower) * (rank - before - 0.5)) / count;
    }
    before += count;
  }
  return null;
}
