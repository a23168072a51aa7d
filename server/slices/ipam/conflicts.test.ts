import { describe, expect, test } from "vitest";
import { findSubnetConflicts, unknownRangeWarnings } from "./conflicts";

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
    expect(wide.map((c) => (c.kind === "slice" ? c.sliceName : `${c.kind}:${c.clusterName}:${c.cidr}`))).toEqual([
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
