// Validation findings a user sees while writing a policy: the cross-cluster limits of
// what a compiled object can say, each named on the field it is about.
import { describe, expect, it } from "vitest";
import type { Fleet, FleetClusterInfo } from "../netpol/fleet";
import { ZEndpointSelector, ZPolicyPort, type PolicyRule } from "../netpol/rules";
import { validatePolicy } from "./validate-policy";

const cluster = (name: string): FleetClusterInfo => ({
  id: `c-${name}`,
  name,
  labels: {},
  siteType: "CLOUD",
  adminNetworkPolicy: true,
  namespaces: [
    { name: "web", labels: {} },
    { name: "db", labels: {} },
  ],
  inventory: null,
});

function rule(name: string, priority: number, action: "ALLOW" | "DENY", from: unknown, to: unknown, ports: unknown[] = []): PolicyRule {
  return {
    id: `pol_${name}`,
    name,
    enabled: true,
    priority,
    action,
    sliceId: null,
    from: ZEndpointSelector.parse(from),
    to: ZEndpointSelector.parse(to),
    ports: ports.map((p) => ZPolicyPort.parse(p)),
  };
}

const a = cluster("edge-1");
const b = cluster("core-1");
const c = cluster("lonely-1");
function fleetOf(policies: PolicyRule[], sliced = true): Fleet {
  const members = sliced
    ? [
        { ...a, subnet: "10.1.0.0/24" },
        { ...b, subnet: "10.1.1.0/24" },
      ]
    : [];
  return {
    clusters: [a, b, c],
    slices: sliced ? [{ id: "s1", name: "shop", posture: "ALLOW_WITHIN_SLICE", members, links: [{ a: a.id, b: b.id }] }] : [],
    policies,
  };
}

const allowWeb = rule(
  "edge-to-core-web",
  10,
  "ALLOW",
  { clusters: { names: ["edge-1"] } },
  { clusters: { names: ["core-1"] }, namespaces: { names: ["web"] } },
);
const denyCore = rule("edge-not-core", 20, "DENY", { clusters: { names: ["edge-1"] } }, { clusters: { names: ["core-1"] } });

describe("validatePolicy: an ALLOW that narrows another cluster's namespaces ahead of a DENY", () => {
  it("warns on the ALLOW's `to`, naming the DENY that comes after it", () => {
    const { errors, warnings } = validatePolicy(fleetOf([allowWeb, denyCore]), allowWeb);
    expect(errors).toEqual([]);
    const w = warnings.find((x) => x.field === "to");
    expect(w?.message).toContain("DENY edge-not-core");
    expect(w?.message).toContain("whole slice share");
  });

  it("warns on the DENY's `priority`, naming the ALLOW that comes before it", () => {
    const { warnings } = validatePolicy(fleetOf([allowWeb, denyCore]), denyCore);
    expect(warnings.find((x) => x.field === "priority")?.message).toContain("ALLOW edge-to-core-web");
  });

  it("says nothing when the DENY comes first, the ALLOW names no namespace or pod, or no slice links the clusters", () => {
    const denyFirst = { ...denyCore, priority: 5 };
    expect(validatePolicy(fleetOf([allowWeb, denyFirst]), allowWeb).warnings.filter((x) => x.message.includes("whole slice share"))).toEqual([]);

    const allowAll = rule("edge-to-core", 10, "ALLOW", { clusters: { names: ["edge-1"] } }, { clusters: { names: ["core-1"] } });
    expect(validatePolicy(fleetOf([allowAll, denyCore]), allowAll).warnings.filter((x) => x.message.includes("whole slice share"))).toEqual([]);
    expect(validatePolicy(fleetOf([allowAll, denyCore]), denyCore).warnings.filter((x) => x.message.includes("whole slice share"))).toEqual([]);

    const unlinked = validatePolicy(fleetOf([allowWeb, denyCore], false), allowWeb).warnings;
    expect(unlinked.filter((x) => x.message.includes("whole slice share"))).toEqual([]);
    expect(unlinked.find((x) => x.field === "to.clusters")?.message).toContain("edge-1 → core-1");
  });

  it("ignores a disabled DENY and a DENY of other source clusters", () => {
    const disabled = { ...denyCore, enabled: false };
    expect(validatePolicy(fleetOf([allowWeb, disabled]), allowWeb).warnings.filter((x) => x.field === "to")).toEqual([]);
    const otherSource = rule("core-not-edge", 20, "DENY", { clusters: { names: ["core-1"] } }, { clusters: { names: ["edge-1"] } });
    expect(validatePolicy(fleetOf([allowWeb, otherSource]), allowWeb).warnings.filter((x) => x.field === "to")).toEqual([]);
  });
});
