// Latency histogram in the manner of HdrHistogram: logarithmic buckets 1 % wide from
// 1 µs to about 20 minutes, so every percentile is within 1 % of the true sample at a
// fixed memory cost whatever the count. Count, mean and max are exact.
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(1_200_000 / MIN_MS) / LOG_GROWTH) + 1;

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;
  min = Infinity;

  record(ms: number) {
    const v = ms < MIN_MS ? MIN_MS : ms;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(v / MIN_MS) / LOG_GROWTH));
    this.counts[i]! += 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
  }

  /** The value at quantile q (0..1): the upper edge of its bucket, never above the max. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, MIN_MS * GROWTH ** (i + 1));
    }
    return this.max;
  }

  get mean() {
    return this.count ? this.sum / this.count : NaN;
  }
}
