import { expect, test } from "vitest";
import type { GatewaySample } from "../../protocol/index";
import { addSample, emptyAccumulator, toRollupRow } from "./rollup-math";
import { encodeSamples, parseBucket } from "./sample-codec";

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;
const STATUSES = ["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const;
const DIGIT = { UP: 0, DEGRADED: 1, DOWN: 2, UNKNOWN: 3 } as const;

// A sample as the previous version's agent API appended it: "link s rtt loss rx tx;".
// During an upgrade such records share a minute's bucket with binary ones.
const textRecord = (s: Sample) =>
  `${s.linkId} ${DIGIT[s.status]} ${[s.rttMs, s.lossPct, s.rxBps, s.txBps].map((v) => (v === undefined ? "-" : String(v))).join(" ")};`;

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

function random(seed: number) {
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const num = () => (rnd() < 0.15 ? undefined : rnd() < 0.5 ? Math.round(rnd() * 1e7) : rnd() * 2000);
  return {
    rnd,
    sample: (): Sample => ({
      linkId: `lnk${Math.floor(rnd() * 5)}`,
      status: STATUSES[Math.floor(rnd() * 4)]!,
      rttMs: num(),
      lossPct: num(),
      rxBps: num(),
      txBps: num(),
    }),
  };
}

test("a heartbeat's samples read back exactly, a link reported twice counted once, an id that is not a link id left out", () => {
  const packed = encodeSamples([
    { linkId: "lnk1", status: "DEGRADED", rttMs: 12.5, lossPct: 3 },
    { linkId: "lnk1", status: "UP" },
    { linkId: "bad id;", status: "UP" },
    { linkId: "x".repeat(65), status: "UP" },
    { linkId: "lnk2", status: "DOWN", rxBps: 10, txBps: 1e308 },
  ]);
  const sums = parseBucket(packed);
  expect([...sums.keys()]).toEqual(["lnk1", "lnk2"]);
  expect(sums.get("lnk1")).toEqual(addSample(emptyAccumulator(), { status: "DEGRADED", rttMs: 12.5, lossPct: 3 }));
  expect(toRollupRow(sums.get("lnk2")!)).toMatchObject({ samples: 1, secondsDown: 60, rttAvg: null, lossAvg: null, rxAvg: 10, txAvg: 1e308 });
  expect(encodeSamples([])).toHaveLength(0);
});

test("many heartbeats appended to one bucket sum per link, the doubles exact", () => {
  const { rnd, sample } = random(7);
  for (let round = 0; round < 200; round++) {
    const all: Sample[] = [];
    const parts: Buffer[] = [];
    for (let h = Math.floor(rnd() * 30); h > 0; h--) {
      // One heartbeat: distinct links (a repeated one is covered above).
      const hb = [...new Map(Array.from({ length: 1 + Math.floor(rnd() * 6) }, sample).map((s) => [s.linkId, s])).values()];
      all.push(...hb);
      parts.push(encodeSamples(hb));
    }
    expect(parseBucket(Buffer.concat(parts))).toEqual(expected(all));
  }
});

test("a bucket an agent API of the previous version also appended to: its text records and the binary ones all count", () => {
  const { rnd, sample } = random(11);
  for (let round = 0; round < 200; round++) {
    const all: Sample[] = [];
    const parts: Buffer[] = [];
    for (let h = Math.floor(rnd() * 30); h > 0; h--) {
      const s = sample();
      all.push(s);
      parts.push(rnd() < 0.5 ? Buffer.from(textRecord(s), "latin1") : encodeSamples([s]));
    }
    expect(parseBucket(Buffer.concat(parts))).toEqual(expected(all));
  }
});

test("text records the previous version never wrote are skipped, the rest of the bucket still counts", () => {
  const good: Sample = { linkId: "lnk1", status: "UP", rttMs: 10, lossPct: 0, rxBps: 100, txBps: 50 };
  const bucket = Buffer.concat([
    Buffer.from("bad;lnk1 9 1 1 1 1;lnk1;;lnk2 2 - 100 - -;", "latin1"),
    encodeSamples([good]),
    Buffer.from(" 0 1 2 3 4;lnk1 1 30 4 - -;", "latin1"),
  ]);
  const sums = parseBucket(bucket);
  expect([...sums.keys()]).toEqual(["lnk2", "lnk1"]);
  expect(sums.get("lnk1")).toEqual(addSample(addSample(emptyAccumulator(), good), { status: "DEGRADED", rttMs: 30, lossPct: 4 }));
  expect(toRollupRow(sums.get("lnk2")!)).toMatchObject({ samples: 1, secondsDown: 60, lossMax: 100, rttAvg: null });
});

test("a bucket cut short keeps the records before the cut; a record with a bad status or values no encoder writes counts without them", () => {
  const a: Sample = { linkId: "lnk1", status: "UP", rttMs: 10 };
  const b: Sample = { linkId: "lnk2", status: "DOWN", lossPct: 100 };
  const whole = Buffer.concat([encodeSamples([a]), encodeSamples([b])]);
  for (let cut = 0; cut < whole.length; cut++) {
    const sums = parseBucket(whole.subarray(0, cut));
    expect([...sums.keys()]).toEqual(cut >= encodeSamples([a]).length ? ["lnk1"] : []);
  }
  // A status byte past the last status skips that record; a negative or infinite value is missing.
  const odd = Buffer.from(encodeSamples([{ linkId: "lnk3", status: "UP", rttMs: 5, lossPct: 1 }]));
  odd.writeDoubleLE(-1, 3 + 4);
  odd.writeDoubleLE(Infinity, 3 + 4 + 8);
  const badStatus = Buffer.from(encodeSamples([b]));
  badStatus[2 + 4] = 9;
  const sums = parseBucket(Buffer.concat([badStatus, odd, encodeSamples([a])]));
  expect([...sums.keys()]).toEqual(["lnk3", "lnk1"]);
  expect(toRollupRow(sums.get("lnk3")!)).toMatchObject({ samples: 1, rttCount: 0, lossCount: 0 });
});
