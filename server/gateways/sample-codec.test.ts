import { expect, test } from "vitest";
import type { GatewaySample } from "../../protocol/index";
import { legacyRecord } from "../../test/gateway-buckets";
import { addSample, emptyAccumulator, toRollupRow } from "./rollup-math";
import { parseBucket, parseSpoolChunk, spoolRecordSize, writeSpoolRecord, type EndSums } from "./sample-codec";

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;
const STATUSES = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;
const CLUSTER = "c00000000000000000000001";
const TENANT = "t00000000000000000000001";
const END = `${CLUSTER} ${TENANT}`;

/** A spool chunk of these heartbeats, all of one link end. */
function chunk(heartbeats: ReadonlyArray<readonly Sample[]>): Buffer {
  const buf = Buffer.alloc(heartbeats.reduce((n, g) => n + spoolRecordSize(CLUSTER, TENANT, g), 0));
  let at = 0;
  for (const g of heartbeats) at = writeSpoolRecord(buf, at, CLUSTER, TENANT, g);
  return buf.subarray(0, at);
}

/** The chunk's sums for its link end. */
function sums(c: Buffer) {
  const ends: EndSums = new Map();
  parseSpoolChunk(c, ends);
  return ends.get(END) ?? new Map();
}

/** What the flush must compute: the samples summed per link, in order of first appearance. */
function expected(samples: readonly Sample[]) {
  const out = new Map<string, ReturnType<typeof emptyAccumulator>>();
  for (const s of samples) {
    let acc = out.get(s.linkId);
    if (!acc) out.set(s.linkId, (acc = emptyAccumulator()));
    addSample(acc, s);
  }
  return out;
}

/** 200 random rounds of up to 30 heartbeats; each round's heartbeats and all their samples. */
function rounds(seed: number, check: (heartbeats: Sample[][], all: Sample[]) => void) {
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const num = () => (rnd() < 0.15 ? undefined : rnd() < 0.5 ? Math.round(rnd() * 1e7) : rnd() * 2000);
  const sample = (): Sample => ({
    linkId: `lnk${Math.floor(rnd() * 5)}`,
    status: STATUSES[Math.floor(rnd() * 4)]!,
    rttMs: num(),
    lossPct: num(),
    rxBps: num(),
    txBps: num(),
  });
  for (let round = 0; round < 200; round++) {
    // One heartbeat: distinct links (a repeated one is covered below).
    const heartbeats = Array.from({ length: Math.floor(rnd() * 30) }, () => [
      ...new Map(Array.from({ length: 1 + Math.floor(rnd() * 6) }, sample).map((s) => [s.linkId, s])).values(),
    ]);
    check(heartbeats, heartbeats.flat());
  }
}

test("a heartbeat's samples read back exactly, a link reported twice counted once, an id that is not a link id left out", () => {
  const c = chunk([
    [
      { linkId: "lnk1", status: "DEGRADED", rttMs: 12.5, lossPct: 3 },
      { linkId: "lnk1", status: "UP" },
      { linkId: "bad id;", status: "UP" },
      { linkId: "x".repeat(65), status: "UP" },
      { linkId: "lnk2", status: "DOWN", rxBps: 10, txBps: 1e308 },
    ],
  ]);
  const s = sums(c);
  expect([...s.keys()]).toEqual(["lnk1", "lnk2"]);
  expect(s.get("lnk1")).toEqual(addSample(emptyAccumulator(), { status: "DEGRADED", rttMs: 12.5, lossPct: 3 }));
  expect(toRollupRow(s.get("lnk2")!)).toMatchObject({ samples: 1, secondsDown: 60, rttAvg: null, lossAvg: null, rxAvg: 10, txAvg: 1e308 });
  expect(sums(chunk([[]])).size).toBe(0);
});

test("many heartbeats in one chunk sum per link, the doubles exact", () => {
  rounds(7, (heartbeats, all) => expect(sums(chunk(heartbeats))).toEqual(expected(all)));
});

test("a bucket of the version before the spool: its text records sum per link", () => {
  rounds(11, (heartbeats, all) => expect(parseBucket(all.map(legacyRecord).join(""))).toEqual(expected(all)));
});

test("text records that version never wrote are skipped, the rest of the bucket still counts", () => {
  const good: Sample = { linkId: "lnk1", status: "UP", rttMs: 10, lossPct: 0, rxBps: 100, txBps: 50 };
  const s = parseBucket(`bad;lnk1 9 1 1 1 1;lnk1;;lnk2 2 - 100 - -;${legacyRecord(good)} 0 1 2 3 4;lnk1 1 30 4 - -;`);
  expect([...s.keys()]).toEqual(["lnk2", "lnk1"]);
  expect(s.get("lnk1")).toEqual(addSample(addSample(emptyAccumulator(), good), { status: "DEGRADED", rttMs: 30, lossPct: 4 }));
  expect(toRollupRow(s.get("lnk2")!)).toMatchObject({ samples: 1, secondsDown: 60, lossMax: 100, rttAvg: null });
});

test("a chunk cut short keeps the records before the cut; a record with a bad status or values no encoder writes counts without them", () => {
  const a: Sample = { linkId: "lnk1", status: "UP", rttMs: 10 };
  const b: Sample = { linkId: "lnk2", status: "DOWN", lossPct: 100 };
  const whole = chunk([[a], [b]]);
  const firstEnds = chunk([[a]]).length;
  for (let cut = 0; cut < whole.length; cut++) expect([...sums(whole.subarray(0, cut)).keys()]).toEqual(cut >= firstEnds ? ["lnk1"] : []);
  // After a chunk's header (1 + 1 + 24 + 1 + 24 bytes), a sample record: mark, length 4,
  // "lnkN", status, then the doubles. A status past the last skips that record; a negative
  // or infinite value is missing.
  const header = 3 + CLUSTER.length + TENANT.length;
  const odd = chunk([[{ linkId: "lnk3", status: "UP", rttMs: 5, lossPct: 1 }]]);
  odd.writeDoubleLE(-1, header + 7);
  odd.writeDoubleLE(Infinity, header + 15);
  const badStatus = chunk([[b]]);
  badStatus[header + 6] = 9;
  const s = sums(Buffer.concat([badStatus, odd, chunk([[a]])]));
  expect([...s.keys()]).toEqual(["lnk3", "lnk1"]);
  expect(toRollupRow(s.get("lnk3")!)).toMatchObject({ samples: 1, rttCount: 0, lossCount: 0 });
});
