import { describe, expect, test } from "vitest";
import { AppError } from "../../platform/errors";
import { contains, formatCidr, overlaps } from "./cidr";
import { allocate, clusterSubnet, layoutProblem, linkIndex, planLayout, tunnelAddresses } from "./allocate";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("slice layout", () => {
  test.each([
    // maxClusters, shares, cluster prefix, tunnel block
    [2, 4, 18, "10.10.192.0/18"],
    [10, 16, 20, "10.10.240.0/20"],
    [14, 16, 20, "10.10.240.0/20"],
    [16, 32, 21, "10.10.248.0/21"],
    [32, 64, 22, "10.10.252.0/22"],
    [64, 128, 23, "10.10.240.0/20"],
  ])("10.10.0.0/16 with maxClusters %i → %i shares of /%i, tunnels in %s", (max, shares, prefix, tunnels) => {
    const layout = planLayout("10.10.0.0/16", max);
    expect(layout.shares).toBe(shares);
    expect(layout.clusterPrefix).toBe(prefix);
    expect(formatCidr(layout.tunnelBlock)).toBe(tunnels);
  });

  test("unlike KubeSlice, no cluster share overlaps the tunnel addresses", () => {
    // KubeSlice: 16 clusters of 10.10.0.0/16 get /20s and tunnels use 10.10.255.0/24,
    // which lies inside the 16th cluster's 10.10.240.0/20.
    expect(overlaps("10.10.240.0/20", "10.10.255.0/24")).toBe(true);
    const layout = planLayout("10.10.0.0/16", 16);
    for (let i = 0; i < 16; i++) expect(overlaps(clusterSubnet(layout, i), layout.tunnelBlock), `share ${i}`).toBe(false);
    expect(clusterSubnet(layout, 15)).toBe("10.10.120.0/21");
  });

  test("for every valid size: shares are disjoint, inside the subnet, clear of tunnels, ≥ /28, and a full mesh fits", () => {
    let checked = 0;
    for (let prefix = 8; prefix <= 22; prefix += 2) {
      for (const max of [2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 48, 64]) {
        const subnet = `10.0.0.0/${prefix}`;
        if (layoutProblem(subnet, max)) continue;
        const layout = planLayout(subnet, max);
        expect(layout.clusterPrefix).toBeLessThanOrEqual(28);
        expect(contains(subnet, layout.tunnelBlock)).toBe(true);
        expect(layout.linkCapacity).toBeGreaterThanOrEqual((max * (max - 1)) / 2);
        const shares = Array.from({ length: max }, (_, i) => clusterSubnet(layout, i));
        for (const [i, s] of shares.entries()) {
          expect(contains(subnet, s)).toBe(true);
          expect(overlaps(s, layout.tunnelBlock)).toBe(false);
          if (i > 0) expect(overlaps(s, shares[i - 1])).toBe(false);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  test("a subnet too small for maxClusters is refused, naming subnet and the prefix that would fit", () => {
    const problem = layoutProblem("10.1.0.0/22", 64)!;
    expect(problem).toMatch(/^subnet 10\.1\.0\.0\/22 is too small for maxClusters 64/);
    expect(problem).toContain("use a /19 or larger");
    expect(layoutProblem("10.1.0.0/19", 64)).toBeNull();
    expect(layoutProblem("10.1.0.0/22", 32)).toContain("use a /21 or larger");
    const err = thrown(() => planLayout("10.1.0.0/22", 64));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.details?.fieldErrors?.subnet?.[0]).toContain("/19");
    expect(layoutProblem("nonsense", 4)).toContain("subnet must be an IPv4 CIDR");
  });

  test("clusterSubnet refuses an index outside 0..maxClusters-1", () => {
    const layout = planLayout("192.168.0.0/16", 4);
    expect(clusterSubnet(layout, 3)).toBe("192.168.96.0/19");
    expect(() => clusterSubnet(layout, 4)).toThrow(/outside 0\.\.3/);
    expect(() => clusterSubnet(layout, -1)).toThrow(AppError);
  });
});

describe("allocate", () => {
  const slice = { subnet: "10.20.0.0/16", maxClusters: 4 };

  test("new members take indexes in input order", () => {
    const plan = allocate([], ["c-a", "c-b", "c-c"], slice);
    expect([...plan.entries()]).toEqual([
      ["c-a", { index: 0, subnet: "10.20.0.0/19" }],
      ["c-b", { index: 1, subnet: "10.20.32.0/19" }],
      ["c-c", { index: 2, subnet: "10.20.64.0/19" }],
    ]);
  });

  test("members keep their index; a removed member's index is reused by the next newcomer", () => {
    const previous = [
      { clusterId: "c-a", index: 0 },
      { clusterId: "c-b", index: 1 },
      { clusterId: "c-c", index: 2 },
    ];
    const plan = allocate(previous, ["c-c", "c-d", "c-a", "c-e"], slice);
    expect(plan.get("c-a")).toEqual({ index: 0, subnet: "10.20.0.0/19" });
    expect(plan.get("c-c")).toEqual({ index: 2, subnet: "10.20.64.0/19" });
    expect(plan.get("c-d")!.index).toBe(1); // c-b's freed index
    expect(plan.get("c-e")!.index).toBe(3);
    expect([...plan.keys()]).toEqual(["c-c", "c-d", "c-a", "c-e"]);
  });

  test("the same inputs give the same plan", () => {
    const previous = [{ clusterId: "x", index: 2 }];
    const a = allocate(previous, ["y", "x", "z"], slice);
    const b = allocate(previous, ["y", "x", "z"], slice);
    expect([...a]).toEqual([...b]);
    expect(a.get("y")!.index).toBe(0);
    expect(a.get("z")!.index).toBe(1);
  });

  test("a stale index outside the range is replaced", () => {
    const plan = allocate([{ clusterId: "x", index: 9 }], ["x"], slice);
    expect(plan.get("x")!.index).toBe(0);
  });

  test("exhaustion says how many clusters fit", () => {
    const err = thrown(() => allocate([], ["a", "b", "c", "d", "e"], slice));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain("room for 4 clusters");
    expect(err.message).toContain("5 were requested");
  });

  test("duplicate members and conflicting previous indexes are refused", () => {
    expect(() => allocate([], ["a", "a"], slice)).toThrow(/a is listed more than once/);
    const err = thrown(() =>
      allocate(
        [
          { clusterId: "a", index: 1 },
          { clusterId: "b", index: 1 },
        ],
        ["a", "b"],
        slice,
      ),
    );
    expect(err.message).toContain("both hold share index 1");
  });

  test("allocation checks the layout first", () => {
    expect(() => allocate([], ["a"], { subnet: "10.0.0.0/22", maxClusters: 64 })).toThrow(/too small/);
  });
});

describe("tunnel addresses", () => {
  test("linkIndex numbers every unordered pair once, densely", () => {
    const n = 64;
    const seen = new Set<number>();
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const i = linkIndex(a, b);
        expect(linkIndex(b, a)).toBe(i);
        seen.add(i);
      }
    }
    expect(seen.size).toBe((n * (n - 1)) / 2);
    expect(Math.max(...seen)).toBe((n * (n - 1)) / 2 - 1);
    expect(() => linkIndex(3, 3)).toThrow(AppError);
  });

  test("each link gets its own /31 inside the tunnel block, server on the even address", () => {
    const layout = planLayout("10.30.0.0/16", 64);
    const cidrs = new Set<string>();
    for (let a = 0; a < 64; a++) {
      for (let b = a + 1; b < 64; b++) {
        const t = tunnelAddresses(layout, linkIndex(a, b));
        expect(contains(layout.tunnelBlock, t.cidr)).toBe(true);
        cidrs.add(t.cidr);
      }
    }
    expect(cidrs.size).toBe(2016);
    expect(tunnelAddresses(layout, 0)).toEqual({ cidr: "10.30.240.0/31", serverAddress: "10.30.240.0", clientAddress: "10.30.240.1" });
    expect(tunnelAddresses(layout, 5)).toEqual({ cidr: "10.30.240.10/31", serverAddress: "10.30.240.10", clientAddress: "10.30.240.11" });
  });

  test("an index past the capacity is refused with the capacity", () => {
    const layout = planLayout("10.30.0.0/16", 16);
    expect(layout.linkCapacity).toBe(1024);
    expect(() => tunnelAddresses(layout, 1024)).toThrow(/capacity 1024 links/);
  });
});
