import { describe, expect, test } from "vitest";
import { combineEnds } from "./link-health";

const now = 1_000_000_000;

describe("link health from its two ends", () => {
  test("no report, or only stale reports, is UNKNOWN", () => {
    expect(combineEnds({}, now).status).toBe("UNKNOWN");
    expect(combineEnds({ a: { status: "UP", at: now - 120_000 } }, now).status).toBe("UNKNOWN");
  });

  test("both ends up is UP with the worse RTT and loss", () => {
    const s = combineEnds({ a: { status: "UP", rttMs: 10, lossPct: 0.1, at: now - 1000 }, b: { status: "UP", rttMs: 14, lossPct: 0, at: now - 500 } }, now);
    expect(s).toMatchObject({ status: "UP", rttMs: 14, lossPct: 0.1 });
    expect(s.reportedAt?.getTime()).toBe(now - 500);
  });

  test("one end down makes the link DOWN; degraded beats up", () => {
    expect(combineEnds({ a: { status: "UP", at: now }, b: { status: "DOWN", at: now } }, now).status).toBe("DOWN");
    expect(combineEnds({ a: { status: "UP", at: now }, b: { status: "DEGRADED", at: now } }, now).status).toBe("DEGRADED");
  });

  test("a stale DOWN from one end does not outvote a fresh UP", () => {
    expect(combineEnds({ a: { status: "UP", at: now }, b: { status: "DOWN", at: now - 100_000 } }, now).status).toBe("UP");
  });

  test("an end with no data plane keeps the link UNKNOWN with its reason; endpoint reachability is reported apart", () => {
    const s = combineEnds(
      { a: { status: "UNKNOWN", reason: "no data plane", endpointReachable: true, at: now }, b: { status: "UNKNOWN", reason: "no data plane", at: now } },
      now,
    );
    expect(s).toMatchObject({ status: "UNKNOWN", reason: "no data plane", endpointReachable: true });
    expect(combineEnds({ a: { status: "UNKNOWN", reason: "no data plane", endpointReachable: false, at: now } }, now).endpointReachable).toBe(false);
    // A data plane reporting UP (the simulated target) is UP, with nothing said about a probe.
    expect(combineEnds({ a: { status: "UP", rttMs: 3, at: now } }, now)).toMatchObject({ status: "UP", reason: null, endpointReachable: null, rttMs: 3 });
  });
});

describe("thresholds", () => {
  test("an UP link at or above the loss or RTT threshold is DEGRADED, naming the value", () => {
    expect(combineEnds({ a: { status: "UP", lossPct: 2, rttMs: 20, at: now } }, now)).toMatchObject({ status: "DEGRADED", reason: "loss 2 % ≥ 2 %" });
    expect(combineEnds({ a: { status: "UP", lossPct: 1.9, rttMs: 249, at: now } }, now).status).toBe("UP");
    expect(combineEnds({ a: { status: "UP", rttMs: 300, at: now }, b: { status: "UP", lossPct: 4, at: now } }, now)).toMatchObject({
      status: "DEGRADED",
      reason: "loss 4 % ≥ 2 %, RTT 300 ms ≥ 250 ms",
    });
    // The tenant's own thresholds.
    expect(combineEnds({ a: { status: "UP", lossPct: 4, at: now } }, now, { degradedLossPct: 5 }).status).toBe("UP");
    // DOWN stays DOWN whatever its numbers.
    expect(combineEnds({ a: { status: "DOWN", lossPct: 100, at: now } }, now).status).toBe("DOWN");
  });
  test("silence for 3 leases makes a link UNKNOWN", () => {
    const lease = 15_000;
    expect(combineEnds({ a: { status: "UP", at: now - 3 * lease } }, now, { freshMs: 3 * lease }).status).toBe("UP");
    expect(combineEnds({ a: { status: "UP", at: now - 3 * lease - 1 } }, now, { freshMs: 3 * lease }).status).toBe("UNKNOWN");
  });
});
