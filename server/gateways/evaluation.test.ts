import { describe, expect, test } from "vitest";
import { convergenceMessage } from "./convergence";
import { evaluateLink, type LinkState } from "./evaluate";
import { siteScore } from "./score";

const at = (min: number) => new Date(Date.UTC(2026, 11, 6, 12, min));
const flap = { flapChanges: 4, flapMinutes: 10 };

describe("link evaluation", () => {
  test("the first observation and every status change is a transition; `since` moves only then", () => {
    let e = evaluateLink(null, { status: "UP", reason: null }, at(0), flap);
    expect(e.transition).toEqual({ from: null, to: "UP" });
    e = evaluateLink(e.next, { status: "UP", reason: null }, at(1), flap);
    expect(e.transition).toBeNull();
    expect(e.next.since).toEqual(at(0));
    e = evaluateLink(e.next, { status: "DOWN", reason: "handshake timeout" }, at(4), flap);
    expect(e.transition).toEqual({ from: "UP", to: "DOWN" });
    expect(e.next).toMatchObject({ status: "DOWN", reason: "handshake timeout", since: at(4) });
  });

  test("more than N changes in M minutes is FLAPPING; it ends when the window calms down", () => {
    let s: LinkState = evaluateLink(null, { status: "UP", reason: null }, at(0), flap).next;
    const seen: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const e = evaluateLink(s, { status: i % 2 ? "DOWN" : "UP", reason: null }, at(i), flap);
      s = e.next;
      seen.push(s.status);
    }
    // Changes 1-4 are shown as they are; the 5th within 10 minutes makes it FLAPPING.
    expect(seen).toEqual(["DOWN", "UP", "DOWN", "UP", "FLAPPING"]);
    expect(s.reason).toBe("5 changes in 10 min");
    // Steady DOWN: still flapping while the window holds > 4 changes...
    s = evaluateLink(s, { status: "DOWN", reason: null }, at(6), flap).next;
    expect(s.status).toBe("FLAPPING");
    // ...and DOWN once the early changes have left the window (at 13 only those at 4 and 5 remain).
    const e = evaluateLink(s, { status: "DOWN", reason: "handshake timeout" }, at(13), flap);
    expect(e.transition).toEqual({ from: "FLAPPING", to: "DOWN" });
    expect(e.next).toMatchObject({ status: "DOWN", since: at(13) });
  });
});

describe("convergence message", () => {
  test("names the worst, longest-failing link first, with since and reason", () => {
    const msg = convergenceMessage([
      { serverName: "us-core-1", clientName: "eu-edge-7", status: "DOWN", since: at(4), reason: "handshake timeout" },
      { serverName: "us-core-1", clientName: "ap-edge-2", status: "DEGRADED", since: at(1), reason: "loss 4 % ≥ 2 %" },
      { serverName: "us-core-1", clientName: "eu-core-2", status: "UP", since: at(0), reason: null },
      { serverName: "eu-core-2", clientName: "eu-edge-7", status: "UP", since: at(0), reason: null },
    ]);
    expect(msg).toBe("2/4 links up — eu-edge-7 ↔ us-core-1 DOWN since 12:04 (handshake timeout) (+1 more)");
  });
  test("is the same whatever the input order, and says so when all are up", () => {
    const links = [
      { serverName: "b", clientName: "a", status: "DOWN" as const, since: at(5), reason: null },
      { serverName: "d", clientName: "c", status: "DOWN" as const, since: at(5), reason: null },
      { serverName: "x", clientName: "y", status: "UP" as const, since: at(0), reason: null },
      { serverName: "x", clientName: "z", status: "UP" as const, since: at(0), reason: null },
    ];
    expect(convergenceMessage(links)).toBe("2/4 links up — a ↔ b DOWN since 12:05 (+1 more)");
    expect(convergenceMessage([...links].reverse())).toBe(convergenceMessage(links));
    expect(convergenceMessage(links.slice(2))).toBe("2/2 links up");
  });
});

describe("site score", () => {
  test("names every factor that took points off", () => {
    const s = siteScore({
      availability: "AVAILABLE",
      components: [
        { name: "gateway", status: "DEGRADED" },
        { name: "agent", status: "OK" },
      ],
      links: [
        { status: "DEGRADED", lossPct: 4, rttMs: 30 },
        { status: "DEGRADED", lossPct: 2.5, rttMs: 20 },
        { status: "UP", lossPct: 0, rttMs: 10 },
        { status: "UP", lossPct: 0, rttMs: 10 },
        { status: "UP", lossPct: 0, rttMs: 10 },
      ],
    });
    expect(s.score).toBe(75);
    expect(s.summary).toBe("75: 2 of 5 links degraded (loss 4 %), component gateway DEGRADED");
  });
  test("a healthy site is 100; an unavailable one 0; all links down costs 50", () => {
    expect(siteScore({ availability: "AVAILABLE", components: [], links: [{ status: "UP", lossPct: 0, rttMs: 1 }] })).toMatchObject({
      score: 100,
      factors: [],
    });
    expect(siteScore({ availability: "UNKNOWN", components: [], links: [] }).score).toBe(0);
    expect(siteScore({ availability: "PENDING", components: [], links: [] }).score).toBeNull();
    expect(
      siteScore({ availability: "AVAILABLE", components: [{ name: "gateway", status: "FAILED" }], links: [{ status: "DOWN", lossPct: 100, rttMs: null }] }),
    ).toMatchObject({ score: 20, summary: "20: 1 of 1 links down, component gateway FAILED" });
  });
});
