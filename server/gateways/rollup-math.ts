// The arithmetic of gateway history, shared by the minute flush (which sums each minute
// bucket's samples, read by sample-codec.ts) and the hour rollup.
//
// p95 RTT from buckets: an exact percentile needs every sample, which is what we refuse
// to keep. Each minute instead counts its samples in a fixed RTT histogram (the bounds
// below, in ms); p95 is read from it by linear interpolation inside the bucket that
// holds the 95th percentile, clamped to the observed min and max. The error is at most
// one bucket's width, and histograms add: an hour's p95 comes from the sum of its
// minutes' histograms, not from an average of p95s (which would be wrong).
import type { GatewaySample } from "../../protocol/index";

/** Upper bounds (ms) of the RTT histogram buckets; the last bucket is everything above. */
export const RTT_BOUNDS = [5, 10, 20, 30, 50, 75, 100, 150, 200, 250, 400, 600, 1000] as const;
export const HIST_BUCKETS = RTT_BOUNDS.length + 1;

/** Status digits in the packed samples (sample-codec.ts). */
export const STATUS_DIGIT = { UP: 0, DEGRADED: 1, DOWN: 2, UNKNOWN: 3 } as const;
export const DIGIT_STATUS = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;

export function rttBucket(rttMs: number): number {
  for (let i = 0; i < RTT_BOUNDS.length; i++) if (rttMs <= RTT_BOUNDS[i]!) return i + 1;
  return HIST_BUCKETS;
}

/** One sample into an accumulator, its fields as arguments (no object per sample: parseBucket calls it ~40,000 times a second). */
export function addFields(acc: Accumulator, status: number, rttMs?: number, lossPct?: number, rxBps?: number, txBps?: number) {
  acc.n++;
  if (status === 0) acc.up++;
  else if (status === 1) acc.degraded++;
  else if (status === 2) acc.down++;
  else acc.unknown++;
  if (rttMs !== undefined) {
    acc.rttN++;
    acc.rttSum += rttMs;
    acc.rttMin = acc.rttMin < 0 ? rttMs : Math.min(acc.rttMin, rttMs);
    acc.rttMax = Math.max(acc.rttMax, rttMs);
    acc.hist[rttBucket(rttMs) - 1]!++;
  }
  if (lossPct !== undefined) {
    acc.lossN++;
    acc.lossSum += lossPct;
    acc.lossMax = Math.max(acc.lossMax, lossPct);
  }
  if (rxBps !== undefined) {
    acc.rxN++;
    acc.rxSum += rxBps;
  }
  if (txBps !== undefined) {
    acc.txN++;
    acc.txSum += txBps;
  }
}

export interface Accumulator {
  n: number;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  rttN: number;
  rttSum: number;
  rttMin: number;
  rttMax: number;
  lossN: number;
  lossSum: number;
  lossMax: number;
  rxN: number;
  rxSum: number;
  txN: number;
  txSum: number;
  hist: number[];
}

export function emptyAccumulator(): Accumulator {
  return {
    n: 0,
    up: 0,
    degraded: 0,
    down: 0,
    unknown: 0,
    rttN: 0,
    rttSum: 0,
    rttMin: -1,
    rttMax: 0,
    lossN: 0,
    lossSum: 0,
    lossMax: 0,
    rxN: 0,
    rxSum: 0,
    txN: 0,
    txSum: 0,
    hist: new Array<number>(HIST_BUCKETS).fill(0),
  };
}

/** Adds one sample to a link end's accumulator for its period. */
export function addSample(acc: Accumulator, s: Pick<GatewaySample, "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">): Accumulator {
  addFields(acc, STATUS_DIGIT[s.status], s.rttMs, s.lossPct, s.rxBps, s.txBps);
  return acc;
}

/** The q-quantile (0..1) of a histogram over RTT_BOUNDS, interpolated, clamped to [min, max]; null when empty. */
export function histQuantile(hist: readonly number[], q: number, min: number, max: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cum = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i]!;
    if (c > 0 && cum + c >= rank) {
      const lo = i === 0 ? 0 : RTT_BOUNDS[i - 1]!;
      const hi = i < RTT_BOUNDS.length ? RTT_BOUNDS[i]! : Math.max(max, lo);
      const v = lo + ((rank - cum) / c) * (hi - lo);
      return Math.min(Math.max(v, min), max);
    }
    cum += c;
  }
  return max;
}

/** One row of the 1-minute table, from a minute's accumulator. */
export interface RollupRow {
  samples: number;
  rttAvg: number | null;
  rttMin: number | null;
  rttMax: number | null;
  rttP95: number | null;
  rttCount: number;
  lossAvg: number | null;
  lossMax: number | null;
  lossCount: number;
  rxAvg: number | null;
  txAvg: number | null;
  /**
   * Seconds of the period spent in each state. Samples arrive about once a lease, not
   * every second, so each sample stands for an equal share of the period it covers.
   */
  secondsUp: number;
  secondsDegraded: number;
  secondsDown: number;
  secondsUnknown: number;
  rttHist: number[];
}

export function toRollupRow(acc: Accumulator, periodSeconds = 60): RollupRow {
  const share = acc.n ? periodSeconds / acc.n : 0;
  const rttMin = acc.rttN ? acc.rttMin : null;
  const rttMax = acc.rttN ? acc.rttMax : null;
  return {
    samples: acc.n,
    rttAvg: acc.rttN ? acc.rttSum / acc.rttN : null,
    rttMin,
    rttMax,
    rttP95: acc.rttN ? histQuantile(acc.hist, 0.95, rttMin!, rttMax!) : null,
    rttCount: acc.rttN,
    lossAvg: acc.lossN ? acc.lossSum / acc.lossN : null,
    lossMax: acc.lossN ? acc.lossMax : null,
    lossCount: acc.lossN,
    rxAvg: acc.rxN ? acc.rxSum / acc.rxN : null,
    txAvg: acc.txN ? acc.txSum / acc.txN : null,
    secondsUp: acc.up * share,
    secondsDegraded: acc.degraded * share,
    secondsDown: acc.down * share,
    secondsUnknown: acc.unknown * share,
    rttHist: acc.hist,
  };
}
