import { describe, expect, it } from "vitest";
import { ZClusterInfo, type Bundle } from "../protocol/index";
import { PROFILES, PROFILE_NAMES } from "./targets/profiles";
import { SimulatedTarget, simulatedCidrs } from "./targets/simulated";

const bundle = (linkIds: string[], manifests: Bundle["manifests"] = []): Bundle => ({
  cluster: { id: "c", name: "c", tenant: "t" },
  slices: [{ name: "s", links: linkIds.map((id) => ({ id })) }],
  manifests,
});
const withoutClock = (samples: ReturnType<SimulatedTarget["gatewaySamples"]>) => samples.map(({ lastHandshakeAt: _t, ...rest }) => rest);

describe("SimulatedTarget", () => {
  it("reproduces inventory and metric series from the seed", async () => {
    const make = () => new SimulatedTarget({ profile: "edge", seed: 42, index: 3, total: 10 });
    const [a, b] = [make(), make()];
    expect(await a.inventory()).toEqual(await b.inventory());
    await a.apply(bundle(["l1", "l2"]), 1);
    await b.apply(bundle(["l1", "l2"]), 1);
    for (let i = 0; i < 50; i++) expect(withoutClock(a.gatewaySamples())).toEqual(withoutClock(b.gatewaySamples()));
  });

  it("differs by seed and by index", async () => {
    const base = await new SimulatedTarget({ profile: "cloud", seed: 1 }).inventory();
    const otherSeed = await new SimulatedTarget({ profile: "cloud", seed: 2 }).inventory();
    const otherIndex = await new SimulatedTarget({ profile: "cloud", seed: 1, index: 1, total: 2 }).inventory();
    expect(otherSeed.uid).not.toBe(base.uid);
    expect(otherIndex.uid).not.toBe(base.uid);
    expect(otherIndex.name).not.toBe(base.name);
  });

  it("produces inventory the protocol accepts, with the profile's site facts", async () => {
    for (const profile of PROFILE_NAMES) {
      for (let seed = 0; seed < 20; seed++) {
        const info = await new SimulatedTarget({ profile, seed, namePrefix: "demo" }).inventory();
        expect(ZClusterInfo.safeParse(info).success).toBe(true);
        expect(info.siteType).toBe(PROFILES[profile].siteType);
        expect(info.name).toMatch(/^demo-/);
        if (info.behindNat) expect(info.gatewayEndpoints).toEqual([]);
        if (profile === "cloud") expect(info.behindNat).toBe(false);
        if (profile === "cloud") expect(info.gatewayEndpoints).toHaveLength(1);
      }
    }
  });

  it("keeps gateway metrics inside the profile's ranges", async () => {
    for (const profile of PROFILE_NAMES) {
      const t = new SimulatedTarget({ profile, seed: 9, flapRate: 0 });
      await t.apply(bundle(["a", "b", "c"]), 1);
      const { rttMs, lossPct } = PROFILES[profile];
      for (let i = 0; i < 200; i++) {
        for (const s of t.gatewaySamples()) {
          expect(s.status === "UP" || s.status === "DEGRADED").toBe(true);
          expect(s.rttMs!).toBeGreaterThanOrEqual(rttMs[0]);
          expect(s.rttMs!).toBeLessThanOrEqual(rttMs[1]);
          expect(s.lossPct!).toBeGreaterThanOrEqual(lossPct[0]);
          expect(s.lossPct!).toBeLessThanOrEqual(lossPct[1]);
        }
      }
    }
  });

  it("samples exactly the links of the last applied bundle, and none without slices", async () => {
    const t = new SimulatedTarget({ profile: "onprem", seed: 1 });
    expect(t.gatewaySamples()).toEqual([]);
    await t.apply(bundle(["x", "y"]), 1);
    expect(t.gatewaySamples().map((s) => s.linkId)).toEqual(["x", "y"]);
    await t.apply({ cluster: { id: "c", name: "c", tenant: "t" }, manifests: [] } as unknown as Bundle, 2);
    expect(t.gatewaySamples()).toEqual([]);
  });

  it("flaps links down with --flap-rate, and they come back", async () => {
    const t = new SimulatedTarget({ profile: "cloud", seed: 5, flapRate: 0.2 });
    await t.apply(bundle(["l"]), 1);
    const statuses = Array.from({ length: 300 }, () => t.gatewaySamples()[0]!.status);
    expect(statuses).toContain("DOWN");
    expect(statuses.lastIndexOf("UP")).toBeGreaterThan(statuses.indexOf("DOWN"));
  });

  it("fails applies at --fail-apply-rate without changing what is applied", async () => {
    const np = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace: "n" } };
    const ok = new SimulatedTarget({ profile: "edge", seed: 1 });
    expect((await ok.apply(bundle([], [np]), 1)).ok).toBe(true);
    const broken = new SimulatedTarget({ profile: "edge", seed: 1, failApplyRate: 1 });
    const res = await broken.apply(bundle([], [np]), 1);
    expect(res).toMatchObject({ ok: false, objects: [{ name: "p", result: "failed" }] });
    expect(res.message).toContain("NetworkPolicy/p");
    expect(broken.appliedObjects()).toEqual([]);
  });

  it("reports created, unchanged, configured and pruned objects", async () => {
    const t = new SimulatedTarget({ profile: "edge", seed: 1 });
    const p = (name: string, port = 80) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: "n" }, spec: { port } });
    await t.apply(bundle([], [p("a"), p("b"), p("c")]), 1);
    const res = await t.apply(bundle([], [p("a"), p("b", 443)]), 2);
    expect(res.objects.map((o) => `${o.name}:${o.result}`)).toEqual(["a:unchanged", "b:configured", "c:pruned"]);
  });
});

describe("simulatedCidrs", () => {
  const parse = (c: string) => {
    const [ip, len] = c.split("/");
    const n = ip!.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    return [n, n + 2 ** (32 - Number(len)) - 1] as const;
  };
  const numeric = (a: string, b: string) => parse(a)[0] - parse(b)[0];
  const overlaps = (a: string, b: string) => {
    const [a0, a1] = parse(a);
    const [b0, b1] = parse(b);
    return a0 <= b1 && b0 <= a1;
  };

  it.each([1, 7, 200, 300, 5000])("gives %i clusters distinct, non-overlapping ranges", (total) => {
    const all = Array.from({ length: total }, (_, i) => simulatedCidrs(i, total, 11));
    const pods = all.map((c) => c.pod).sort(numeric);
    const services = all.map((c) => c.service).sort(numeric);
    expect(new Set(pods).size).toBe(total);
    expect(new Set(services).size).toBe(total);
    // Sorted distinct equal-size blocks overlap only if neighbours do.
    for (let i = 1; i < total; i++) {
      expect(overlaps(pods[i - 1]!, pods[i]!)).toBe(false);
      expect(overlaps(services[i - 1]!, services[i]!)).toBe(false);
    }
    for (const c of all.slice(0, 50)) for (const d of all.slice(0, 50)) expect(overlaps(c.pod, d.service)).toBe(false);
  });

  it("uses /16 pod and /20 service ranges for small fleets", () => {
    expect(simulatedCidrs(0, 10, 1).pod).toMatch(/^10\.\d+\.0\.0\/16$/);
    expect(simulatedCidrs(0, 10, 1).service).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.0\/20$/);
  });
});
