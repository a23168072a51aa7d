import { describe, expect, test } from "vitest";
import { ZHeartbeatRequest } from "../../protocol/index";
import { fastHeartbeat } from "./heartbeat-fast-check";

// Seeded, so a failure reproduces.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ordinary = () => ({
  seq: 42,
  session: "f3a9c1d2-77b0",
  sentAt: "2026-11-22T08:00:00.123Z",
  appliedRevision: 3,
  components: [
    { name: "agent", status: "OK" },
    { name: "gateway", status: "DEGRADED", message: "1/2 tunnels" },
  ],
  gateways: Array.from({ length: 8 }, (_, i) => ({
    linkId: `l${i}`,
    status: "UP",
    rttMs: 12.5,
    lossPct: 0.1,
    rxBps: 1000,
    txBps: 2000,
    lastHandshakeAt: "2026-11-22T07:59:58Z",
    ...(i % 2 ? { reason: "no data plane", endpointReachable: i % 4 === 1 } : {}),
  })),
});

// Values that break one rule or another, or are edge cases zod accepts.
const ODD: unknown[] = [
  undefined,
  null,
  -1,
  0,
  -0,
  1.5,
  2 ** 53,
  600_000,
  600_001,
  100,
  100.5,
  "",
  "x".repeat(129),
  "x".repeat(1025),
  100.7,
  "OK",
  "UP",
  "up",
  "2026-02-29T00:00:00Z",
  "2028-02-29T00:00:00Z",
  "2026-11-22T08:00:00+01:00",
  "2026-11-22 08:00:00Z",
  "2026-13-01T00:00:00Z",
  "a\u0000b",
  "\ud800",
  "x\udc00",
  "\ud83d\ude00",
  "short",
  "has space!",
  "abcdefgh",
  true,
  [],
  {},
  [1],
  { a: 1 },
  Number.MAX_VALUE,
];

type Json = Record<string, unknown>;
function mutate(body: Json, r: () => number): Json {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const b = structuredClone(body) as Json;
  const targets: Json[] = [b, ...(b.components as Json[]), ...(b.gateways as Json[])];
  const times = 1 + Math.floor(r() * 3);
  for (let i = 0; i < times; i++) {
    const t = pick(targets);
    const keys = [...Object.keys(t), "inventory", "extra", "message", "rttMs", "__proto__"];
    const k = pick(keys);
    const roll = r();
    if (roll < 0.15) delete t[k];
    else if (roll < 0.2 && Array.isArray(t[k])) (t[k] as unknown[]).push(...Array.from({ length: 600 }, () => ({ linkId: "z", status: "UP" })));
    else Object.defineProperty(t, k, { value: pick(ODD), enumerable: true, writable: true, configurable: true });
  }
  return b;
}

describe("heartbeat fast check", () => {
  test("takes the ordinary heartbeat as it is, without a copy", () => {
    const body = ordinary();
    expect(fastHeartbeat(body)).toBe(body);
  });

  test("anything it accepts, zod accepts and returns unchanged (20,000 mutated bodies)", () => {
    const r = rng(7);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const body = mutate(ordinary(), r);
      const fast = fastHeartbeat(body);
      const slow = ZHeartbeatRequest.safeParse(body);
      if (fast) {
        accepted++;
        expect(slow.success, JSON.stringify(body)).toBe(true);
        expect(slow.data).toEqual(body);
      } else if (!slow.success) rejected++;
    }
    // Both outcomes are exercised, so the property is not vacuous.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  test("leaves to zod what only zod may decide: inventory, unknown keys, bad values", () => {
    expect(fastHeartbeat({ ...ordinary(), inventory: { nodeCount: 3 } })).toBeNull();
    expect(fastHeartbeat({ ...ordinary(), extra: 1 })).toBeNull();
    expect(fastHeartbeat({ ...ordinary(), seq: -1 })).toBeNull();
    expect(fastHeartbeat({ ...ordinary(), sentAt: "2026-02-29T00:00:00Z" })).toBeNull();
    expect(fastHeartbeat({ ...ordinary(), gateways: [{ linkId: "l", status: "UP", lossPct: 101 }] })).toBeNull();
    expect(fastHeartbeat(JSON.parse('{"seq":1,"sentAt":"2026-11-22T08:00:00Z","appliedRevision":0,"components":[],"gateways":[],"__proto__":{}}'))).toBeNull();
  });

  test("text PostgreSQL cannot store is refused by both, naming the field", () => {
    for (const bad of ["a\u0000b", "\ud800", "x\udc00y"]) {
      const body = { ...ordinary(), components: [{ name: "agent", status: "OK", message: bad }] };
      expect(fastHeartbeat(body)).toBeNull();
      const slow = ZHeartbeatRequest.safeParse(body);
      expect(slow.success).toBe(false);
      expect(slow.error?.issues[0]?.path).toEqual(["components", 0, "message"]);
      expect(slow.error?.issues[0]?.message).toMatch(/NUL or unpaired surrogate/);
    }
    // A paired surrogate (an emoji) is ordinary text.
    const emoji = { ...ordinary(), components: [{ name: "agent", status: "OK", message: "\ud83d\ude00" }] };
    expect(fastHeartbeat(emoji)).toBe(emoji);
  });
});
