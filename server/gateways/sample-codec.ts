// How a heartbeat's gateway samples travel to the minute flush: packed by the agent API
// into its spool (sample-spool.ts: writeSpoolRecord), pushed to Redis a chunk at a time,
// summed by the minute flush (parseSpoolChunk).
//
// Binary, not text. Each sample is one record:
//   0x01, id length L (1-64), L bytes of link id, status digit (STATUS_DIGIT), then RTT,
//   loss, rx and tx as little-endian float64, NaN for a value not sent.
// The text form it replaced ("link s rtt loss rx tx;") printed four numbers per sample on
// the agent API's per-heartbeat path: ~4 µs of a heartbeat's ~60 µs in a microbenchmark
// of the agent benchmark's samples, against ~0.9 µs to write them as doubles (bench/README.md,
// "Gateway history off the heartbeat's path"). Reading doubles back is cheaper for the
// workers too than parsing digits.
//
// The released version before the spool appended each heartbeat's samples to its
// cluster's minute bucket as text ("link s rtt loss rx tx;", '-' for a value not sent); the
// flush still reads such buckets (parseBucket) so that a rolling upgrade loses no minute.
// Binary records were never written to a bucket by any released version.
import type { GatewaySample } from "../../protocol/index";
import { emptyAccumulator, addFields, STATUS_DIGIT, DIGIT_STATUS, type Accumulator } from "./rollup-math";

const MARK = 0x01;
/** Bytes of a record besides its link id: mark, id length, status, four doubles. */
const FIXED = 3 + 4 * 8;

// Link ids are cuids; anything else cannot be a link of ours (the flush also joins on
// GatewayLink) and is left out, so it cannot break the record format either.
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An id a record can carry (a link's, or a spool header's cluster and tenant). */
export const isRecordId = (id: string) => RECORD_ID.test(id);

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;

/** At most how many bytes writeSamples writes for these samples. */
function samplesSize(gateways: readonly Sample[]): number {
  let size = 0;
  for (const g of gateways) size += FIXED + g.linkId.length;
  return size;
}

/**
 * Writes the samples' records into buf at `at` (room for samplesSize() there); returns
 * where they end. A link reported twice counts once (the first), as the hot state's latest
 * view shows it; an id that is not a link id is left out.
 */
function writeSamples(buf: Buffer, at: number, gateways: readonly Sample[]): number {
  let o = at;
  for (let i = 0; i < gateways.length; i++) {
    const g = gateways[i]!;
    const id = g.linkId;
    if (!isRecordId(id) || reportedBefore(gateways, i)) continue;
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
  return o;
}

// A loop, not a Set: a heartbeat has a handful of links (at most 512, when the loop's
// ~130,000 comparisons are still well under a millisecond), and a Set per heartbeat was
// garbage on the hot path.
function reportedBefore(gateways: readonly Sample[], i: number): boolean {
  const id = gateways[i]!.linkId;
  for (let j = 0; j < i; j++) if (gateways[j]!.linkId === id) return true;
  return false;
}

// ---- spool records: a heartbeat's end, then its samples -------------------------------
// The agent API's spool (sample-spool.ts) gathers many clusters' heartbeats in one chunk,
// so each heartbeat's records follow a header naming the link end that reported them:
//   0x02, cluster id length, cluster id, tenant id length, tenant id (ids of ≤ 64 ASCII
//   characters), then its sample records as above.
const END = 0x02;

/** At most how many bytes writeSpoolRecord writes. */
export function spoolRecordSize(clusterId: string, tenantId: string, gateways: readonly Sample[]): number {
  return 3 + clusterId.length + tenantId.length + samplesSize(gateways);
}

/** Writes one heartbeat's spool record into buf at `at` (room for spoolRecordSize() there; ids that pass isRecordId); returns where it ends. */
export function writeSpoolRecord(buf: Buffer, at: number, clusterId: string, tenantId: string, gateways: readonly Sample[]): number {
  // Ids come from the credential the agent authenticated with, never from its body, and
  // are cuids (the spool checks each cluster's once, isRecordId); anything else would not
  // fit the header.
  let o = at;
  buf[o] = END;
  buf[o + 1] = clusterId.length;
  o += 2 + buf.write(clusterId, o + 2, "latin1");
  buf[o] = tenantId.length;
  o += 1 + buf.write(tenantId, o + 1, "latin1");
  return writeSamples(buf, o, gateways);
}

/** Samples summed per link, for each link end ("<clusterId> <tenantId>") that reported in a minute. */
export type EndSums = Map<string, Map<string, Accumulator>>;

/**
 * Adds a spool chunk (many heartbeats' spool records) to `ends`. A chunk is written whole
 * by one RPUSH, so anything malformed means a bug, not a cut: the rest of the chunk is
 * skipped, the records before it count.
 */
export function parseSpoolChunk(chunk: Buffer, ends: EndSums): void {
  let links: Map<string, Accumulator> | undefined;
  for (let p = 0; p < chunk.length;) {
    if (chunk[p] === END) {
      const cLen = chunk[p + 1] ?? 0;
      const tAt = p + 2 + cLen;
      const tLen = chunk[tAt] ?? 0;
      if (cLen === 0 || tLen === 0 || tAt + 1 + tLen > chunk.length) return;
      const end = `${chunk.toString("latin1", p + 2, tAt)} ${chunk.toString("latin1", tAt + 1, tAt + 1 + tLen)}`;
      links = ends.get(end);
      if (!links) ends.set(end, (links = new Map()));
      p = tAt + 1 + tLen;
    } else if (chunk[p] === MARK && links) {
      const next = readBinary(chunk, p, links);
      if (next < 0) return;
      p = next;
    } else return;
  }
}

/** A value read back: NaN (not sent), or anything no encoder writes, is missing. */
const value = (v: number) => (v >= 0 && v !== Infinity ? v : undefined);

/** Adds the binary record at p to `out`; returns where the next record starts, or -1 when this one is cut short or malformed. */
function readBinary(buf: Buffer, p: number, out: Map<string, Accumulator>): number {
  const len = buf[p + 1] ?? 0;
  const end = p + FIXED + len;
  if (len === 0 || len > 64 || end > buf.length) return -1;
  const s = buf[p + 2 + len]!;
  if (s < DIGIT_STATUS.length) {
    const linkId = buf.toString("latin1", p + 2, p + 2 + len);
    let acc = out.get(linkId);
    if (!acc) out.set(linkId, (acc = emptyAccumulator()));
    const at = p + 3 + len;
    addFields(acc, s, value(buf.readDoubleLE(at)), value(buf.readDoubleLE(at + 8)), value(buf.readDoubleLE(at + 16)), value(buf.readDoubleLE(at + 24)));
  }
  return end;
}

/**
 * A bucket of the version before the spool (many heartbeats' text records) summed per
 * link; a malformed record is skipped. A scanner, not split(): the arrays and objects
 * split() made were most of the flush's work at 10,000 clusters.
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
