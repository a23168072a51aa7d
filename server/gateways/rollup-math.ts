// The arithmetic of gateway history, shared by the heartbeat script (which adds samples
// to per-minute accumulators in Redis), the minute flush and the hour rollup.
//
// p95 RTT from buckets: an exact percentile needs every sample, which is what we refuse
// to keep. Each minute instead counts its samples in a fixed RTT histogram (the bounds
// below, in ms); p95 is read from it by linear interpolation inside the bucket that
// holds the 95th percentile, clamped to the observed min and max. The error is at most
// one bucket's width, and histograms add: an hour's p95 comes from the sum of its
// minutes' histograms, not from an average of p95s (which would be wrong).
import type { GatewaySample } from "../../protocol/index";
import { numberText } from "../platform/number-text";

/** Upper bounds (ms) of the RTT histogram buckets; the last bucket is everything above. */
export const RTT_BOUNDS = [5, 10, 20, 30, 50, 75, 100, 150, 200, 250, 400, 600, 1000] as const;
export const HIST_BUCKETS = RTT_BOUNDS.length + 1;

/** Status digits in the packed sample string. */
export const STATUS_DIGIT = { UP: 0, DEGRADED: 1, DOWN: 2, UNKNOWN: 3 } as const;
const DIGIT_STATUS = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;

// Link ids are cuids; anything else cannot be a link of ours (the flush also joins on
// GatewayLink) and is left out, so it cannot break the packed format either.
const LINK_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function rttBucket(rttMs: number): number {
  for (let i = 0; i < RTT_BOUNDS.length; i++) if (rttMs <= RTT_BOUNDS[i]!) return i + 1;
  return HIST_BUCKETS;
}

// numberText, not String(): see platform/number-text.ts (it kept the agent API's major GCs coming).
const num = (v: number | undefined) => (v === undefined ? "-" : numberText(v));

/**
 * A heartbeat's samples as the heartbeat script appends them to the minute's bucket:
 * "link s rtt loss rx tx;" per sample, '-' for a missing value, s a STATUS_DIGIT. A link
 * reported twice counts once (the first), as the hot state's latest view would show it.
 */
export function encodeSamples(gateways: readonly Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">[]): string {
  let out = "";
  const seen = new Set<string>();
  for (const g of gateways) {
    if (!LINK_ID.test(g.linkId) || seen.has(g.linkId)) continue;
    seen.add(g.linkId);
    out += `${g.linkId} ${STATUS_DIGIT[g.status]} ${num(g.rttMs)} ${num(g.lossPct)} ${num(g.rxBps)} ${num(g.txBps)};`;
  }
  return out;
}

/**
 * A bucket's text (many heartbeats' encodeSamples) summed per link; a malformed sample is
 * skipped. A scanner over the text, not split(): at 10,000 clusters and 5,000 heartbeats/s
 * a closed minute is ~140 MB of bucket text, parsed by the workers on the agent API's
 * cores, and the arrays and objects split() and a sample object per sample made were most
 * of that work.
 */
export function parseBucket(text: string): Map<string, Accumulator> {
  const out = new Map<string, Accumulator>();
  for (let from = 0; from < text.length;) {
    let to = text.indexOf(";", from);
    if (to < 0) to = text.length;
    // "link s rtt loss rx tx" in text[from, to): a link id, then one status digit 0-3
    // followed by a space or the sample's end.
    const idEnd = text.indexOf(" ", from);
    const s = text.charCodeAt(idEnd + 1) - 48;
    if (idEnd > from && idEnd + 1 < to && s >= 0 && s < DIGIT_STATUS.length && (idEnd + 2 === to || text.charCodeAt(idEnd + 2) === 32)) {
      const rttAt = idEnd + 3;
      const lossAt = next(text, rttAt, to);
      const rxAt = next(text, lossAt, to);
      const txAt = next(text, rxAt, to);
      const linkId = text.slice(from, idEnd);
      let acc = out.get(linkId);
      if (!acc) out.set(linkId, (acc = emptyAccumulator()));
      addFields(acc, s, field(text, rttAt, to), field(text, lossAt, to), field(text, rxAt, to), field(text, txAt, to));
    }
    from = to + 1;
  }
  return out;
}

/** Where the field after the one at `at` starts (past `to` when there is none). */
function next(text: string, at: number, to: number): number {
  if (at >= to) return to + 1;
  const sp = text.indexOf(" ", at);
  return sp < 0 || sp >= to ? to + 1 : sp + 1;
}

/** The number at `at` up to the next space or `to`; undefined for '-', a missing field or anything not a finite number ≥ 0. */
function field(text: string, at: number, to: number): number | undefined {
  if (at >= to) return undefined;
  let e = text.indexOf(" ", at);
  if (e < 0 || e > to) e = to;
  if (e === at || (e === at + 1 && text.charCodeAt(at) === 45) /* - */) return undefined;
  const n = Number(text.slice(at, e));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** One sample into an accumulator, its fields as arguments (no object per sample: parseBucket calls it ~40,000 times a second). */
function addFields(acc: Accumulator, status: number, rttMs?: number, lossPct?: number, rxBps?: number, txBps?: number) {
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
