import { describe, expect, test } from "vitest";
import { addSample, emptyAccumulator } from "./rollup-math";
import { parseSpoolChunk, spoolRecordSize, type EndSums } from "./sample-codec";
import { CHUNK_BYTES, MAX_CLUSTER_MINUTE_BYTES, MAX_UNSENT_BYTES, SampleSpool, type PushChunk } from "./sample-spool";

const MINUTE = 29_000_000;
const at = (m: number, s = 0) => m * 60_000 + s * 1000;
const cid = (i: number) => `c${String(i).padStart(24, "0")}`;
const TENANT = "t000000000000000000000000";
const gateways = (i: number, n = 8) =>
  Array.from({ length: n }, (_, k) => ({ linkId: `l${i}x${k}`, status: "UP" as const, rttMs: i + k / 10, lossPct: 0.5, rxBps: 1e6 + i, txBps: 2e6 }));

/** A Redis stand-in: what was pushed, per minute, copied as Redis would hold it. */
function receiver() {
  const pushed: Array<{ minute: number; data: Buffer }> = [];
  const push: PushChunk = async (minute, data) => {
    pushed.push({ minute, data: Buffer.from(data) });
  };
  const sums = (minute: number) => {
    const ends: EndSums = new Map();
    for (const p of pushed) if (p.minute === minute) parseSpoolChunk(p.data, ends);
    return ends;
  };
  return { pushed, push, sums };
}

describe("the agent API's sample spool", () => {
  test("every added heartbeat reaches its arrival minute's chunks once, summed per link end", async () => {
    const r = receiver();
    const spool = new SampleSpool(r.push, 60_000);
    for (let i = 0; i < 50; i++) spool.add(cid(i), TENANT, gateways(i), at(MINUTE, 59));
    for (let i = 0; i < 50; i += 2) spool.add(cid(i), TENANT, gateways(i), at(MINUTE + 1, 1));
    spool.add(cid(99), TENANT, [], at(MINUTE)); // no samples: nothing
    await spool.close();
    expect(new Set(r.pushed.map((p) => p.minute))).toEqual(new Set([MINUTE, MINUTE + 1]));
    const m0 = r.sums(MINUTE);
    expect(m0.size).toBe(50);
    const expected = addSample(emptyAccumulator(), gateways(7)[3]!);
    expect(m0.get(`${cid(7)} ${TENANT}`)?.get("l7x3")).toEqual(expected);
    expect(r.sums(MINUTE + 1).size).toBe(25);
    expect(spool.held).toBe(0);
  });

  test("a busy minute is pushed in chunks of at most 256 KiB, none lost or repeated", async () => {
    const r = receiver();
    const spool = new SampleSpool(r.push, 60_000);
    // ~470 bytes a heartbeat: ~1,100 heartbeats fill a chunk.
    for (let i = 0; i < 3_000; i++) spool.add(cid(i), TENANT, gateways(i), at(MINUTE, 10));
    await spool.close();
    expect(r.pushed.length).toBeGreaterThanOrEqual(3);
    for (const p of r.pushed) expect(p.data.length).toBeLessThanOrEqual(CHUNK_BYTES);
    const ends = r.sums(MINUTE);
    expect(ends.size).toBe(3_000);
    for (const links of ends.values()) for (const acc of links.values()) expect(acc.n).toBe(1);
  });

  test("while Redis is down the spool keeps its chunks and pushes them, in order, once it is back", async () => {
    const r = receiver();
    let up = false;
    const spool = new SampleSpool(async (m, d) => {
      if (!up) throw new Error("Connection is closed.");
      await r.push(m, d);
    }, 60_000);
    spool.add(cid(1), TENANT, gateways(1), at(MINUTE));
    await expect(spool.flush()).rejects.toThrow("closed");
    spool.add(cid(2), TENANT, gateways(2), at(MINUTE + 1));
    await expect(spool.flush()).rejects.toThrow("closed");
    expect(spool.held).toBeGreaterThan(0);
    up = true;
    await spool.flush();
    expect(r.pushed.map((p) => p.minute)).toEqual([MINUTE, MINUTE + 1]);
    expect(r.sums(MINUTE).size).toBe(1);
    expect(spool.held).toBe(0);
  });

  test("two flushes at once push each chunk once", async () => {
    const r = receiver();
    const spool = new SampleSpool(async (m, d) => {
      await new Promise((ok) => setTimeout(ok, 5));
      await r.push(m, d);
    }, 60_000);
    spool.add(cid(1), TENANT, gateways(1), at(MINUTE));
    const first = spool.flush();
    spool.add(cid(2), TENANT, gateways(2), at(MINUTE));
    await Promise.all([first, spool.flush(), spool.flush()]);
    expect(r.pushed).toHaveLength(2);
    expect(r.sums(MINUTE).size).toBe(2);
  });

  test("when Redis stops answering, the oldest chunks are dropped past the limit, never the one being pushed, which arrives intact", async () => {
    const r = receiver();
    let release: (() => void) | null = null;
    let calls = 0;
    const spool = new SampleSpool(async (m, d) => {
      // The first push waits (a Redis that stopped answering) and then goes through.
      if (calls++ === 0) await new Promise<void>((ok) => (release = ok));
      await r.push(m, d);
    }, 60_000);
    spool.add(cid(9999), TENANT, gateways(9999), at(MINUTE));
    const first = spool.flush();
    // ~40 MiB more while that push waits: past the limit, so chunks are dropped as they fill.
    for (let i = 0; i < 90_000; i++) spool.add(cid(i % 5000), TENANT, gateways(i % 5000), at(MINUTE, 1 + Math.floor(i / 3000)));
    expect(spool.dropped).toBeGreaterThan(0);
    expect(spool.held).toBeLessThanOrEqual(MAX_UNSENT_BYTES + CHUNK_BYTES);
    release!();
    await first;
    await spool.close();
    // The chunk in flight all along arrived as it was written: its buffer was not reused.
    expect(
      r
        .sums(MINUTE)
        .get(`${cid(9999)} ${TENANT}`)
        ?.get("l9999x3"),
    ).toEqual(addSample(emptyAccumulator(), gateways(9999)[3]!));
    expect(spool.held).toBe(0);
  });

  test("one cluster's samples stop at its minute's limit; the next minute takes them again", async () => {
    const r = receiver();
    const spool = new SampleSpool(r.push, 60_000);
    for (let i = 0; i < 1000; i++) spool.add(cid(1), TENANT, gateways(1), at(MINUTE, i % 60));
    spool.add(cid(1), TENANT, gateways(1), at(MINUTE + 1));
    await spool.close();
    const n = r
      .sums(MINUTE)
      .get(`${cid(1)} ${TENANT}`)!
      .get("l1x0")!.n;
    // Taken until the cluster's minute reaches 64 KiB, the heartbeat that reaches it included.
    expect(n).toBe(Math.ceil(MAX_CLUSTER_MINUTE_BYTES / spoolRecordSize(cid(1), TENANT, gateways(1))));
    expect(
      r
        .sums(MINUTE + 1)
        .get(`${cid(1)} ${TENANT}`)!
        .get("l1x0")!.n,
    ).toBe(1);
  });
});
