// Intent → compiled objects: upstream-schema validity, determinism, the ANP rules, the
// cross-cluster shares, and a randomized check that what the engine says the compiled
// objects enforce is exactly what the intent means.
import { describe, expect, it } from "vitest";
import { validateUpstream } from "../bundles/manifests";
import { compilePolicies, type CompileContext, type FleetCluster } from "../netpol/compile";
import { seeded } from "../netpol/engine/test-helpers";
import type { Namespace, Workload } from "../netpol/engine/types";
import type { Fleet, FleetClusterInfo } from "../netpol/fleet";
import { decideConnection, enforcedCluster } from "./reachability";
import { ZEndpointSelector, ZPolicyPort, type PolicyRule } from "../netpol/rules";
import { selectorMatches } from "../netpol/label-selector";
import type { AppInventory } from "../../protocol/app-inventory";

const cluster = (name: string, anp = true, labels: Record<string, string> = {}): FleetCluster => ({
  id: `c-${name}`,
  name,
  labels,
  siteType: "CLOUD",
  adminNetworkPolicy: anp,
});
const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ name, labels });

function rule(
  p: Partial<PolicyRule> & { name: string; priority: number; action: "ALLOW" | "DENY" },
  from: unknown = {},
  to: unknown = {},
  ports: unknown[] = [],
): PolicyRule {
  return {
    id: `pol_${p.name}`,
    enabled: true,
    sliceId: null,
    ...p,
    from: ZEndpointSelector.parse(from),
    to: ZEndpointSelector.parse(to),
    ports: ports.map((x) => ZPolicyPort.parse(x)),
  };
}

const edge = cluster("edge-1");
const cloud = cluster("cloud-1", false, { env: "prod" });
const slice = {
  id: "s1",
  name: "shop",
  members: [
    { ...edge, subnet: "10.1.0.0/24" },
    { ...cloud, subnet: "10.1.1.0/24" },
  ],
};

describe("compilePolicies", () => {
  const policies = [
    rule(
      { name: "web-to-api", priority: 10, action: "ALLOW" },
      { namespaces: { names: ["web"] }, pods: "app=web" },
      { namespaces: { names: ["api"] }, pods: "app in (api,api-canary)" },
      [{ protocol: "TCP", port: 8080 }, { protocol: "UDP" }],
    ),
    rule({ name: "no-legacy", priority: 20, action: "DENY" }, { namespaces: { names: ["legacy"] } }, {}, [{ protocol: "TCP", port: 5432, endPort: 5440 }]),
  ];
  const ctx: CompileContext = { self: edge, namespaces: [ns("web"), ns("api"), ns("legacy")], slices: [slice], policies };

  it("compiles an ALLOW into an ingress NetworkPolicy per destination namespace and a DENY into an AdminNetworkPolicy, all valid upstream", () => {
    const { objects, problems } = compilePolicies(ctx);
    expect(problems).toEqual([]);
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ?? "-"} ${o.metadata.name}`)).toEqual([
      "AdminNetworkPolicy - isthmus-policy.no-legacy",
      "AdminNetworkPolicy - isthmus-policy.web-to-api",
      "NetworkPolicy api isthmus-policy.web-to-api",
    ]);
    for (const o of objects) expect(validateUpstream(o), `${o.kind} ${o.metadata.name}`).toEqual({ valid: true, errors: [] });
    for (const o of objects)
      expect(o.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "isthmus", "isthmus.io/policy": expect.stringMatching(/^pol_/) });
    const deny = objects[0]!.spec as { priority: number; egress: Array<{ action: string; to: unknown[]; ports: unknown[] }> };
    expect(deny.priority).toBe(20);
    expect(deny.egress[0]).toMatchObject({ action: "Deny", ports: [{ portRange: { protocol: "TCP", start: 5432, end: 5440 } }] });
    // The remote member is reached at its share.
    expect(deny.egress[0]!.to).toContainEqual({ networks: ["10.1.1.0/24"] });
  });

  it("lets traffic from another member in from its share, and is the same whatever the input order", () => {
    const np = compilePolicies(ctx).objects.find((o) => o.kind === "NetworkPolicy")!;
    const from = (np.spec as { ingress: Array<{ from: unknown[] }> }).ingress[0]!.from;
    expect(from).toContainEqual({ ipBlock: { cidr: "10.1.1.0/24" } });
    const shuffled = { ...ctx, policies: [...policies].reverse(), namespaces: [...ctx.namespaces!].reverse() };
    expect(JSON.stringify(compilePolicies(shuffled))).toBe(JSON.stringify(compilePolicies(ctx)));
  });

  it("compiles no DENY on a cluster without AdminNetworkPolicy support and says which cluster", () => {
    const { objects, problems } = compilePolicies({ ...ctx, self: cloud, namespaces: [ns("legacy")] });
    expect(objects.filter((o) => o.kind === "AdminNetworkPolicy")).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        policy: "no-legacy",
        cluster: "cloud-1",
        field: "action",
        message: expect.stringContaining("cloud-1 reports no AdminNetworkPolicy support"),
      }),
    ]);
  });

  it("isolates a destination an ALLOW names even when none of its sources can reach this cluster", () => {
    // Found by the cross-cluster random test: the NetworkPolicy was left out, so the
    // destination stayed open to everything although the intent says it accepts nothing else.
    const afar = rule({ name: "from-afar", priority: 5, action: "ALLOW" }, { clusters: { names: ["elsewhere"] } }, { namespaces: { names: ["api"] } }, [
      { protocol: "TCP", port: 80 },
    ]);
    const { objects } = compilePolicies({ ...ctx, policies: [afar] });
    expect(objects.map((o) => [o.kind, o.metadata.namespace, o.spec])).toEqual([
      ["NetworkPolicy", "api", { podSelector: {}, policyTypes: ["Ingress"], ingress: [] }],
    ]);
    expect(validateUpstream(objects[0]!)).toEqual({ valid: true, errors: [] });
    const info: FleetClusterInfo = {
      ...edge,
      namespaces: [ns("web"), ns("api")],
      inventory: { adminNetworkPolicy: true, namespaces: [ns("web"), ns("api")], workloads: [], policies: [] },
    };
    const fleet: Fleet = { clusters: [info], slices: [], policies: [afar] };
    const e = enforcedCluster(fleet, info, [afar]);
    expect(decideConnection(fleet, e, e, { namespace: "web" }, { namespace: "api" }, "TCP", 80).decision).toBe("DENY");
  });

  it("skips disabled policies and policies bound to a slice the cluster is not in", () => {
    const off = compilePolicies({
      ...ctx,
      policies: [
        { ...policies[0]!, enabled: false },
        { ...policies[1]!, sliceId: "other" },
      ],
    });
    expect(off.objects).toEqual([]);
  });
});

// ---- randomized: intent and compiled result never disagree (one cluster) ----

const NAMESPACES = [ns("a", { team: "t1" }), ns("b", { team: "t2" }), ns("c", { team: "t1" })];
const APPS = ["x", "y", "z"];
const POD_SELECTORS = ["", "app=x", "app in (x,y)", "app!=z", "tier", "!tier"];
const PORTS = [[], [{ protocol: "TCP", port: 80 }], [{ protocol: "TCP", port: 80, endPort: 90 }], [{ protocol: "UDP" }], [{ protocol: "TCP", port: "http" }]];

function workloads(): Workload[] {
  const out: Workload[] = [];
  for (const n of NAMESPACES) {
    for (const app of APPS) {
      const labels: Record<string, string> = { app };
      if (app !== "z") labels.tier = "front";
      out.push({
        namespace: n.name,
        name: `${app}-${n.name}`,
        kind: "Deployment",
        labels,
        ports: app === "y" ? [{ name: "http", port: 85, protocol: "TCP" }] : [{ name: "http", port: 8080, protocol: "TCP" }],
      });
    }
  }
  return out;
}

function randomSide(r: ReturnType<typeof seeded>) {
  const namespaces = r.pick([{}, { names: [r.pick(["a", "b", "c"])] }, { names: ["a", "c"] }, { selector: "team=t1" }, { selector: "team notin (t1)" }]);
  return { namespaces, pods: r.pick(POD_SELECTORS) };
}

function randomPolicies(seed: number): PolicyRule[] {
  const r = seeded(seed);
  const n = 1 + r.int(5);
  const priorities = [...new Set(Array.from({ length: n }, () => r.int(50)))];
  const drafts = priorities.map((priority) => ({ priority, action: (r.chance(0.4) ? "DENY" : "ALLOW") as "ALLOW" | "DENY", ports: r.pick(PORTS) }));
  // Named ports only where validation accepts them: in an ALLOW that no DENY comes after
  // (one before a DENY must also be an AdminNetworkPolicy, which cannot name ports).
  const lastDeny = Math.max(-1, ...drafts.filter((d) => d.action === "DENY").map((d) => d.priority));
  return drafts.map((d, i) => {
    const named = d.action === "DENY" || d.priority < lastDeny;
    const ports = named ? d.ports.filter((p) => typeof (p as { port?: unknown }).port !== "string") : d.ports;
    return rule({ name: `p${i}`, priority: d.priority, action: d.action, enabled: r.chance(0.9) }, randomSide(r), randomSide(r), ports);
  });
}

/** What the intent says: the first matching policy by priority decides; with none, a destination some ALLOW speaks of accepts nothing else. */
function intent(policies: PolicyRule[], s: Workload, d: Workload, protocol: "TCP" | "UDP", port: number): boolean {
  const nsOf = (w: Workload) => NAMESPACES.find((n) => n.name === w.namespace)!;
  const sideMatches = (side: PolicyRule["from"], w: Workload) => {
    const n = nsOf(w);
    return (
      (!side.namespaces.names || side.namespaces.names.includes(n.name)) &&
      selectorMatches(side.namespaces.selector, { ...n.labels, "kubernetes.io/metadata.name": n.name }) &&
      selectorMatches(side.pods, w.labels)
    );
  };
  const portMatches = (p: PolicyRule) =>
    p.ports.length === 0 ||
    p.ports.some(
      (x) =>
        x.protocol === protocol &&
        (x.port === undefined ||
          (typeof x.port === "number"
            ? x.port <= port && port <= (x.endPort ?? x.port)
            : d.ports.some((c) => c.name === x.port && c.protocol === protocol && c.port === port))),
    );
  const live = policies.filter((p) => p.enabled).sort((a, b) => a.priority - b.priority);
  const first = live.find((p) => sideMatches(p.from, s) && sideMatches(p.to, d) && portMatches(p));
  if (first) return first.action === "ALLOW";
  return !live.some((p) => p.action === "ALLOW" && sideMatches(p.to, d));
}

describe("intent and compiled result", () => {
  it("never disagree over random policy sets", () => {
    const ws = workloads();
    const info: FleetClusterInfo = {
      ...edge,
      namespaces: NAMESPACES,
      inventory: { adminNetworkPolicy: true, namespaces: NAMESPACES, workloads: ws as AppInventory["workloads"], policies: [] },
    };
    let checked = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const policies = randomPolicies(seed);
      const fleet: Fleet = { clusters: [info], slices: [], policies };
      const e = enforcedCluster(fleet, info, policies);
      expect(e.problems, `seed ${seed}`).toEqual([]);
      for (const s of ws) {
        for (const d of ws) {
          if (s === d) continue;
          for (const [protocol, port] of [
            ["TCP", 80],
            ["TCP", 85],
            ["TCP", 8080],
            ["UDP", 53],
          ] as const) {
            const got =
              decideConnection(fleet, e, e, { namespace: s.namespace, workload: s.name }, { namespace: d.namespace, workload: d.name }, protocol, port)
                .decision === "ALLOW";
            expect(got, `seed ${seed}: ${s.name} → ${d.name} ${protocol} ${port}; policies ${JSON.stringify(policies)}`).toBe(
              intent(policies, s, d, protocol, port),
            );
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
