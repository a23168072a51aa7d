// How a heartbeat's gateway samples travel through a minute bucket in Redis: packed by the
// agent API (encodeSamples), appended by the heartbeat script (add-samples-lua.ts), summed
// by the minute flush (parseBucket).
//
// Binary, not text. Each sample is one record:
//   0x01, id length L (1-64), L bytes of link id, status digit (STATUS_DIGIT), then RTT,
//   loss, rx and tx as little-endian float64, NaN for a value not sent.
// The text form it replaced ("link s rtt loss rx tx;") printed four numbers per sample on
// the agent API's per-heartbeat path: ~4 µs of a heartbeat's ~60 µs in a microbenchmark
// of the agent benchmark's samples, against ~0.7 µs to write them as doubles, and most of
// what GATEWAY_HISTORY=on cost the agent API's ceiling (bench/README.md, "Binary
// samples"). Reading doubles back is cheaper for the workers too than parsing digits.
//
// A bucket may hold both forms: during an upgrade an agent API of the previous version
// appends text records to the same minute's bucket as a new one. A text record starts with
// a link id character and ends with ';', and never contains 0x01, so a record starting with
// 0x01 is binary and anything else is read as text up to the next 0x01.
import type { GatewaySample } from "../../protocol/index";
import { emptyAccumulator, addFields, STATUS_DIGIT, DIGIT_STATUS, type Accumulator } from "./rollup-math";

const MARK = 0x01;
/** Bytes of a record besides its link id: mark, id length, status, four doubles. */
const FIXED = 3 + 4 * 8;

// Link ids are cuids; anything else cannot be a link of ours (the flush also joins on
// GatewayLink) and is left out, so it cannot break the record format either.
const LINK_ID = /^[A-Za-z0-9_-]{1,64}$/;

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;

/**
 * A heartbeat's samples as the heartbeat script appends them to the minute's bucket. A
 * link reported twice counts once (the first), as the hot state's latest view shows it.
 */
export function encodeSamples(gateways: readonly Sample[]): Buffer {
  let size = 0;
  for (const g of gateways) size += FIXED + g.linkId.length;
  const buf = Buffer.allocUnsafe(size);
  let o = 0;
  for (let i = 0; i < gateways.length; i++) {
    const g = gateways[i]!;
    const id = g.linkId;
    if (!LINK_ID.test(id) || reportedBefore(gateways, i)) continue;
    buf[o] = MARK;
    buf[o + 1] = id.length;
    o += 2 + buf.write(id, o + 2, "latin1");
    buf[o] = STATUS_DIGIT[g.status];
    buf.writeDoubleLE(g.rttMs ?? NaN, o + 1);
    buf.writeDoubleLE(g.lossPct ?? NaN, o + 9);
    buf.writeDoubleLE(g.rxBps ?? NaN, o + 17);
    buf.writeDoubleLE(g.txBps ?? NaN, o + 25);
    o += 33;
  }
  return o === size ? buf : buf.subarray(0, o);
}

// A loop, not a Set: a heartbeat has a handful of links (at most 512, when the loop's
// ~130,000 comparisons are still well under a millisecond), and a Set per heartbeat was
// garbage on the hot path.
function reportedBefore(gateways: readonly Sample[], i: number): boolean {
  const id = gateways[i]!.linkId;
  for (let j = 0; j < i; j++) if (gateways[j]!.linkId === id) return true;
  return false;
}

/** A value read back: NaN (not sent), or anything no encoder writes, is missing. */
const value = (v: number) => (v >= 0 && v !== Infinity ? v : undefined);

/**
 * A bucket (many heartbeats' encodeSamples, and any text records an agent API of the
 * previous version appended) summed per link. A malformed record is skipped; a record cut
 * short ends the bucket.
 */
export function parseBucket(bucket: Buffer): Map<string, Accumulator> {
  const out = new Map<string, Accumulator>();
  for (let p = 0; p < bucket.length;) {
    if (bucket[p] !== MARK) {
      let q = bucket.indexOf(MARK, p);
      if (q < 0) q = bucket.length;
      parseText(bucket.toString("latin1", p, q), out);
      p = q;
      continue;
    }
    const len = bucket[p + 1] ?? 0;
    const end = p + FIXED + len;
    if (len === 0 || len > 64 || end > bucket.length) break;
    const s = bucket[p + 2 + len]!;
    if (s < DIGIT_STATUS.length) {
      const linkId = bucket.toString("latin1", p + 2, p + 2 + len);
      let acc = out.get(linkId);
      if (!acc) out.set(linkId, (acc = emptyAccumulator()));
      const at = p + 3 + len;
      addFields(
        acc,
        s,
        value(bucket.readDoubleLE(at)),
        value(bucket.readDoubleLE(at + 8)),
        value(bucket.readDoubleLE(at + 16)),
        value(bucket.readDoubleLE(at + 24)),
      );
    }
    p = end;
  }
  return out;
}

/**
 * Text records ("link s rtt loss rx tx;", '-' for a missing value) summed into `out`. A
 * scanner, not split(): the arrays and objects split() made were most of the flush's work
 * at 10,000 clusters.
 */
function parseText(text: string, out: Map<string, Accumulator>): void {
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
