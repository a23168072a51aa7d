import { describe, expect, test } from "vitest";
import { healthRegressions } from "./health";
import { CANARY_LABEL, planWaves, type PlanTarget } from "./plan";
import { resolveOptions } from "./schema";

const fleet = (n: number, canary: number[] = []): PlanTarget[] =>
  Array.from({ length: n }, (_, i) => ({
    clusterId: `c${i}`,
    name: `site-${String(i).padStart(3, "0")}`,
    labels: canary.includes(i) ? { [CANARY_LABEL]: "true" } : ({} as Record<string, string>),
  }));

describe("planWaves", () => {
  test("all at once is one wave", () => {
    expect(planWaves(fleet(5), { strategy: "ALL_AT_ONCE", canary: 10, batchSize: null })).toEqual([["c0", "c1", "c2", "c3", "c4"]]);
  });
  test("the labelled canaries go first, whatever the percentage says", () => {
    const waves = planWaves(fleet(10, [7, 3]), { strategy: "WAVES", canary: 50, batchSize: 4 });
    expect(waves).toEqual([
      ["c3", "c7"],
      ["c0", "c1", "c2", "c4"],
      ["c5", "c6", "c8", "c9"],
    ]);
  });
  test("without labels the first N % by name are the canary (at least one), then batches; four by default", () => {
    expect(planWaves(fleet(20), { strategy: "WAVES", canary: 10, batchSize: 6 }).map((w) => w.length)).toEqual([2, 6, 6, 6]);
    expect(planWaves(fleet(3), { strategy: "WAVES", canary: 1, batchSize: null }).map((w) => w.length)).toEqual([1, 1, 1]);
    expect(planWaves(fleet(41), { strategy: "WAVES", canary: 0, batchSize: null }).map((w) => w.length)).toEqual([11, 11, 11, 8]);
  });
});

describe("resolveOptions", () => {
  test("the change's options over the tenant's default over the built-in one; all at once has no soak unless asked", () => {
    expect(resolveOptions({ strategy: "WAVES", soakSeconds: 5 }, { batchSize: 3 })).toMatchObject({
      strategy: "WAVES",
      soakSeconds: 5,
      batchSize: 3,
      canary: 10,
    });
    expect(resolveOptions(undefined, undefined)).toMatchObject({ strategy: "ALL_AT_ONCE", soakSeconds: 0 });
    expect(resolveOptions({ nonsense: true }, { strategy: "WAVES" })).toMatchObject({ strategy: "WAVES", soakSeconds: 60 });
  });
});

describe("healthRegressions", () => {
  const ok = { online: true, components: { agent: "OK", gateway: "OK" }, links: { l1: "UP", l2: "DEGRADED" } };
  test("a FAILED component, a link gone DOWN or silence is worse; wobbling to DEGRADED is not", () => {
    expect(healthRegressions(ok, { online: true, components: { agent: "OK", gateway: "DEGRADED" }, links: { l1: "DEGRADED", l2: "UP" } })).toEqual([]);
    expect(healthRegressions(ok, { online: true, components: { agent: "FAILED", gateway: "OK" }, links: { l1: "DOWN", l2: "DEGRADED", l3: "DOWN" } })).toEqual([
      "component agent: OK → FAILED",
      "link l1: UP → DOWN",
    ]);
    expect(healthRegressions(ok, { online: false, components: {}, links: {} })).toEqual(["agent stopped reporting (no heartbeat for 3 leases)"]);
  });
});
