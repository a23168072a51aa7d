import { describe, expect, test } from "vitest";
import { addSample, emptyAccumulator, histQuantile, HIST_BUCKETS, rttBucket, toRollupRow } from "./rollup-math";
import { chooseTable } from "./series";
import { partitionRange } from "./partitions";
import { DEFAULT_GATEWAY_SETTINGS } from "./settings";

describe("rollup maths", () => {
  test("a minute of samples gives avg/min/max RTT, avg and max loss, avg rx/tx and seconds per state", () => {
    const acc = emptyAccumulator();
    addSample(acc, { status: "UP", rttMs: 10, lossPct: 0, rxBps: 100, txBps: 50 });
    addSample(acc, { status: "UP", rttMs: 30, lossPct: 1, rxBps: 300, txBps: 150 });
    addSample(acc, { status: "DEGRADED", rttMs: 20, lossPct: 5 });
    addSample(acc, { status: "DOWN" });
    const row = toRollupRow(acc);
    expect(row).toMatchObject({
      samples: 4,
      rttAvg: 20,
      rttMin: 10,
      rttMax: 30,
      rttCount: 3,
      lossAvg: 2,
      lossMax: 5,
      rxAvg: 200,
      txAvg: 100,
      secondsUp: 30,
      secondsDegraded: 15,
      secondsDown: 15,
      secondsUnknown: 0,
    });
    expect(row.rttP95).toBeGreaterThan(20);
    expect(row.rttP95).toBeLessThanOrEqual(30);
  });

  test("a minute without RTT or loss has nulls, not zeros", () => {
    const row = toRollupRow(addSample(emptyAccumulator(), { status: "UNKNOWN" }));
    expect(row).toMatchObject({ samples: 1, rttAvg: null, rttP95: null, lossAvg: null, secondsUnknown: 60 });
  });

  test("p95 from a histogram lies within the bucket of the 95th sample and within [min, max]", () => {
    const acc = emptyAccumulator();
    for (let i = 1; i <= 100; i++) addSample(acc, { status: "UP", rttMs: i });
    const p95 = histQuantile(acc.hist, 0.95, 1, 100)!;
    // The exact p95 is 95; its bucket is (75, 100].
    expect(p95).toBeGreaterThan(75);
    expect(p95).toBeLessThanOrEqual(100);
    expect(histQuantile(new Array(HIST_BUCKETS).fill(0), 0.95, 0, 0)).toBeNull();
    // One sample: p95 is that sample.
    const one = addSample(emptyAccumulator(), { status: "UP", rttMs: 42 });
    expect(histQuantile(one.hist, 0.95, 42, 42)).toBe(42);
  });

  test("histograms add: the p95 of two minutes together is the p95 of all their samples' buckets", () => {
    const a = emptyAccumulator();
    const b = emptyAccumulator();
    for (let i = 0; i < 90; i++) addSample(a, { status: "UP", rttMs: 8 });
    for (let i = 0; i < 10; i++) addSample(b, { status: "UP", rttMs: 300 });
    const sum = a.hist.map((x, i) => x + b.hist[i]!);
    // 10 % of samples at 300 ms: the p95 is in the 300 ms bucket, not an average of the two minutes' p95s.
    expect(histQuantile(sum, 0.95, 8, 300)).toBeGreaterThan(250);
  });

  test("RTT buckets", () => {
    expect([0, 5, 5.1, 250, 1000, 5000].map(rttBucket)).toEqual([1, 1, 2, 10, 13, 14]);
  });
});

describe("range → table", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const H = 3_600_000;
  test("short ranges read minutes, long ones hours; the step never gives more than 1,500 points", () => {
    expect(chooseTable(ago(H), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 60_000 });
    expect(chooseTable(ago(24 * H), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 2 * 60_000 });
    expect(chooseTable(ago(7 * 24 * H), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 14 * 60_000 });
    expect(chooseTable(ago(30 * 24 * H), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: H });
    // Asked for minutes over a day: 1,440 points, under the cap.
    expect(chooseTable(ago(24 * H), now, 60_000, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 60_000 });
    // Asked for minutes over a week: capped at 1,500 points.
    expect(chooseTable(ago(7 * 24 * H), now, 60_000, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 7 * 60_000 });
    expect(chooseTable(ago(90 * 24 * H), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: 3 * H });
    // An explicit step of an hour reads the hour table even for a day.
    expect(chooseTable(ago(24 * H), now, H, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: H });
    // A minute step over a range starting before minute retention: only hours hold it.
    expect(chooseTable(ago(31 * 24 * H), ago(30.5 * 24 * H), 60_000, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: H });
  });
  test("a range read off the clock twice (a few ms more or less than asked) keeps its step and table", () => {
    expect(chooseTable(ago(24 * H + 7), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 2 * 60_000 });
    expect(chooseTable(ago(24 * H - 7), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1m", stepMs: 2 * 60_000 });
    expect(chooseTable(ago(30 * 24 * H - 7), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: H });
    expect(chooseTable(ago(30 * 24 * H + 7), now, undefined, now, DEFAULT_GATEWAY_SETTINGS)).toMatchObject({ table: "GatewayRollup1h", stepMs: H });
  });
  test("a tenant's shorter retention clamps the start", () => {
    const c = chooseTable(ago(10 * 24 * H), now, undefined, now, { ...DEFAULT_GATEWAY_SETTINGS, minuteRetentionDays: 7, hourRetentionDays: 7 });
    expect(c.from.toISOString()).toBe(ago(7 * 24 * H).toISOString());
  });
  test("partitions: a UTC day for minutes, a UTC month for hours", () => {
    expect(partitionRange("GatewayRollup1m", new Date("2026-12-06T23:59:59Z"))).toEqual({
      name: "GatewayRollup1m_p20261206",
      from: new Date("2026-12-06T00:00:00Z"),
      to: new Date("2026-12-07T00:00:00Z"),
    });
    expect(partitionRange("GatewayRollup1h", new Date("2026-12-31T23:00:00Z"))).toEqual({
      name: "GatewayRollup1h_p202612",
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
  });
});
