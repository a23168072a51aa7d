import { describe, expect, test } from "vitest";
import { AppError } from "../errors";
import {
  allocate,
  cidrSize,
  clusterSubnet,
  contains,
  findSubnetConflicts,
  formatCidr,
  formatIpv4,
  isCanonicalCidr,
  isPrivateCidr,
  layoutProblem,
  linkIndex,
  overlaps,
  parseCidr,
  parseIpv4,
  planLayout,
  suggestSubnet,
  unknownRangeWarnings,
  tunnelAddresses,
} from "./ipam";

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("IPv4 and CIDR parsing", () => {
  test("addresses round-trip through their integer form", () => {
    for (const a of ["0.0.0.0", "10.1.2.3", "172.31.255.254", "255.255.255.255"]) {
      expect(formatIpv4(parseIpv4(a)!)).toBe(a);
    }
    expect(parseIpv4("10.0.0.1")).toBe(167772161);
  });

  test("malformed addresses are rejected", () => {
    for (const a of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "", "1..2.3", " 1.2.3.4"]) {
      expect(parseIpv4(a), a).toBeNull();
    }
  });

  test("parseCidr clears host bits; isCanonicalCidr tells whether they were set", () => {
    expect(parseCidr("10.1.2.3/16")).toEqual({ network: parseIpv4("10.1.0.0"), prefix: 16 });
    expect(formatCidr(parseCidr("192.168.7.9/24")!)).toBe("192.168.7.0/24");
    expect(isCanonicalCidr("10.1.0.0/16")).toBe(true);
    expect(isCanonicalCidr("10.1.2.0/16")).toBe(false);
    expect(parseCidr("0.0.0.0/0")).toEqual({ network: 0, prefix: 0 });
    expect(parseCidr("1.2.3.4/32")).toEqual({ network: parseIpv4("1.2.3.4"), prefix: 32 });
  });

  test("parseCidr rejects bad prefixes, IPv6 and junk", () => {
    for (const c of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0", "10.0.0.0/", "fd00::/8", "x/8", "10.0.0.300/24"]) {
      expect(parseCidr(c), c).toBeNull();
    }
  });

  test("contains and overlaps follow CIDR nesting", () => {
    expect(contains("10.0.0.0/8", "10.200.0.0/16")).toBe(true);
    expect(contains("10.200.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(contains("0.0.0.0/0", "192.168.1.1/32")).toBe(true);
    expect(overlaps("10.200.0.0/16", "10.0.0.0/8")).toBe(true);
    expect(overlaps("10.1.0.0/16", "10.2.0.0/16")).toBe(false);
    expect(overlaps("10.1.255.255/32", "10.1.0.0/16")).toBe(true);
    expect(overlaps("10.2.0.0/32", "10.1.0.0/16")).toBe(false);
    expect(cidrSize("10.0.0.0/8")).toBe(16_777_216);
  });

  test("private ranges are 10/8, 172.16/12 and 192.168/16 only", () => {
    for (const c of ["10.0.0.0/8", "10.9.0.0/16", "172.16.0.0/12", "172.31.0.0/16", "192.168.0.0/16", "192.168.4.0/22"]) {
      expect(isPrivateCidr(c), c).toBe(true);
    }
    for (const c of ["10.0.0.0/7", "172.32.0.0/16", "172.15.0.0/16", "192.169.0.0/16", "8.8.8.0/24", "100.64.0.0/10"]) {
      expect(isPrivateCidr(c), c).toBe(false);
    }
  });
});

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
    const err = thrown(() => allocate([{ clusterId: "a", index: 1 }, { clusterId: "b", index: 1 }], ["a", "b"], slice));
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

describe("findSubnetConflicts", () => {
  const clusters = [
    { name: "edge-1", podCidrs: ["10.244.0.0/16", "fd00:10::/56"], serviceCidrs: ["10.96.0.0/12"] },
    { name: "cloud-1", podCidrs: ["192.168.0.0/16"], serviceCidrs: ["172.20.0.0/16"] },
  ];

  test("names each member's pod and service CIDR the subnet overlaps", () => {
    expect(findSubnetConflicts("10.96.0.0/16", { clusters })).toEqual([
      { kind: "serviceCidr", clusterName: "edge-1", cidr: "10.96.0.0/12", message: expect.stringContaining("service CIDR 10.96.0.0/12 of cluster edge-1") },
    ]);
    const wide = findSubnetConflicts("10.0.0.0/8", { clusters });
    expect(wide.map((c) => c.kind === "slice" ? c.sliceName : `${c.kind}:${c.clusterName}:${c.cidr}`)).toEqual([
      "podCidr:edge-1:10.244.0.0/16",
      "serviceCidr:edge-1:10.96.0.0/12",
    ]);
    expect(findSubnetConflicts("10.10.0.0/16", { clusters })).toEqual([]);
  });

  test("another slice conflicts only when it overlaps and shares a cluster", () => {
    const otherSlices = [
      { name: "blue", subnet: "10.10.0.0/16", members: ["cloud-1", "far-away"] },
      { name: "green", subnet: "10.10.0.0/16", members: ["far-away"] },
      { name: "red", subnet: "10.11.0.0/16", members: ["edge-1"] },
    ];
    expect(findSubnetConflicts("10.10.0.0/16", { clusters, otherSlices })).toEqual([
      { kind: "slice", sliceName: "blue", cidr: "10.10.0.0/16", clusterNames: ["cloud-1"], message: expect.stringContaining("overlaps slice blue") },
    ]);
  });

  test("a malformed CIDR reported by a cluster is an error, not silence", () => {
    expect(() => findSubnetConflicts("10.10.0.0/16", { clusters: [{ name: "x", podCidrs: ["10.0.0/8"], serviceCidrs: [] }] })).toThrow(
      /cluster x reports an invalid podCidr/,
    );
  });
});

describe("unknownRangeWarnings", () => {
  test("an unknown pod or service range is a warning, never a silent 'no overlap'", () => {
    const clusters = [
      { name: "autopilot", podCidrs: [], serviceCidrs: [] },
      { name: "half", podCidrs: ["10.244.0.0/16"], serviceCidrs: [] },
      { name: "known", podCidrs: ["10.244.0.0/16"], serviceCidrs: ["10.96.0.0/12"] },
    ];
    expect(findSubnetConflicts("10.10.0.0/16", { clusters })).toEqual([]);
    expect(unknownRangeWarnings("10.10.0.0/16", clusters)).toEqual([
      "the pod CIDR and service CIDR of cluster autopilot are unknown: subnet 10.10.0.0/16 was not checked against them",
      "the service CIDR of cluster half is unknown: subnet 10.10.0.0/16 was not checked against it",
    ]);
  });
});

describe("suggestSubnet", () => {
  test("prefers 10.x.0.0/16 in order", () => {
    expect(suggestSubnet([])).toBe("10.0.0.0/16");
    expect(suggestSubnet(["10.0.0.0/16", "10.1.0.0/16"])).toBe("10.2.0.0/16");
    expect(suggestSubnet(["10.0.5.0/24"])).toBe("10.1.0.0/16");
    expect(suggestSubnet(["10.0.0.0/9", "10.128.0.0/16"])).toBe("10.129.0.0/16");
  });

  test("then 172.16–31, then 192.168, then null", () => {
    expect(suggestSubnet(["10.0.0.0/8"])).toBe("172.16.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/13"])).toBe("172.24.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/12"])).toBe("192.168.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/17"])).toBeNull();
  });

  test("honours the prefix, and ignores IPv6 and junk in the taken list", () => {
    expect(suggestSubnet(["10.0.0.0/22", "fd00::/8", "garbage"], 22)).toBe("10.0.4.0/22");
    expect(suggestSubnet([], 8)).toBe("10.0.0.0/8");
    expect(suggestSubnet(["10.1.0.0/16"], 8)).toBeNull();
    expect(() => suggestSubnet([], 23)).toThrow(/prefix/);
    expect(() => suggestSubnet([], 7)).toThrow(/prefix/);
  });

  test("never returns a block that overlaps anything taken", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 50; round++) {
      const taken = Array.from({ length: 40 }, () => `10.${rand(256)}.${rand(256)}.0/${12 + rand(13)}`);
      const s = suggestSubnet(taken, 18)!;
      expect(s).not.toBeNull();
      for (const t of taken) expect(overlaps(s, parseCidr(t)!), `${s} vs ${t}`).toBe(false);
    }
  });
});
