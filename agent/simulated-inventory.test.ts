// The demo fleet's inventory reads like a real one: each provider in its own regions,
// and gateway endpoints that differ from cluster to cluster.
import { describe, expect, test } from "vitest";
import { PROFILES, PROFILE_NAMES } from "./targets/profiles";
import { SimulatedTarget } from "./targets/simulated";

describe("simulated inventory", () => {
  test("a provider's clusters are only in that provider's regions", async () => {
    for (const profile of PROFILE_NAMES) {
      for (let index = 0; index < 40; index++) {
        const info = await new SimulatedTarget({ profile, seed: 7, index, total: 40 }).inventory();
        expect(PROFILES[profile].regions[info.provider!], `${profile} ${info.provider}`).toContain(info.region);
      }
    }
  });

  test("every cluster of an agent has its own endpoint, on WireGuard's port, in its site's range", async () => {
    // As npm start runs them: one process per profile, 2–3 clusters each.
    const all = [];
    for (const [seed, profile] of PROFILE_NAMES.entries()) {
      for (let index = 0; index < 12; index++) all.push(await new SimulatedTarget({ profile, seed: seed + 1, index, total: 12 }).inventory());
    }
    const endpoints = all.flatMap((c) => c.gatewayEndpoints);
    expect(endpoints.length).toBeGreaterThan(0);
    expect(new Set(endpoints).size).toBe(endpoints.length);
    for (const e of endpoints) expect(e).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+:51820$/);
  });
});
