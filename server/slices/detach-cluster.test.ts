import { describe, expect, test } from "vitest";
import { specWithout } from "./detach-cluster";
import { ZSliceSpec } from "./schema";

const base = (over: Record<string, unknown>) => ZSliceSpec.parse({ name: "s", subnet: "10.1.0.0/16", members: ["a", "b", "c"], ...over });

describe("dropping a deleted cluster from a slice spec", () => {
  test("removes it from members, pairs, namespaces, overrides and exports; the result is a valid spec", () => {
    const spec = base({
      topology: {
        kind: "CUSTOM",
        pairs: [
          ["a", "b"],
          ["b", "c"],
        ],
      },
      gatewayService: { overrides: { b: { type: "LoadBalancer", protocol: "TCP" }, c: { type: "NodePort", protocol: "UDP" } } },
      namespaceIsolation: {
        enabled: true,
        applicationNamespaces: [
          { namespace: "x", clusters: ["b"] },
          { namespace: "y", clusters: ["*"] },
          { namespace: "z", clusters: ["a", "b"] },
        ],
        allowedNamespaces: [],
      },
      serviceExports: [{ name: "api", namespace: "x", sourceCluster: "b", ports: [{ port: 80 }] }],
    });
    const { spec: out, notes } = specWithout(spec, "b");
    expect(out.members).toEqual(["a", "c"]);
    expect(out.topology).toEqual({ kind: "CUSTOM", pairs: [] });
    expect(Object.keys(out.gatewayService.overrides)).toEqual(["c"]);
    expect(out.namespaceIsolation.applicationNamespaces).toEqual([
      { namespace: "y", clusters: ["*"] },
      { namespace: "z", clusters: ["a"] },
    ]);
    expect(out.serviceExports).toEqual([]);
    expect(notes).toEqual([]);
    expect(ZSliceSpec.safeParse(out).success).toBe(true);
  });

  test("a hub-spoke slice that loses its only hub becomes a full mesh, and says so", () => {
    const { spec, notes } = specWithout(base({ topology: { kind: "HUB_SPOKE", hubs: ["a"] } }), "a");
    expect(spec.topology).toEqual({ kind: "FULL_MESH" });
    expect(notes[0]).toContain("only hub a");
    const other = specWithout(base({ topology: { kind: "HUB_SPOKE", hubs: ["a", "b"] } }), "a");
    expect(other.spec.topology).toEqual({ kind: "HUB_SPOKE", hubs: ["b"] });
  });
});
