// Randomized, across clusters: over random fleets (one slice, full mesh or hub and
// spokes, and a cluster outside it) and random policy sets (clusters by name, label
// selector and site type; ALLOW and DENY; priorities), the preview's decision over the
// compiled objects equals what the intent alone says, and the compact matrix equals the
// preview cell by cell. A failure prints its seed; POLICY_SEED=<n> replays that one.
import { describe, expect, it } from "vitest";
import type { SiteType } from "../../protocol/index";
import type { AppInventory } from "../../protocol/app-inventory";
import { seeded } from "../netpol/engine/test-helpers";
import type { Namespace, Workload } from "../netpol/engine/types";
import type { Fleet, FleetClusterInfo } from "../netpol/fleet";
import { selectorMatches } from "../netpol/label-selector";
import { cellAt, compactMatrix } from "./matrix";
import { Evaluator, type ConnectionRef } from "./reachability";
import { ZEndpointSelector, ZPolicyPort, type EndpointSelector, type PolicyRule } from "../netpol/rules";

const SEEDS = process.env.POLICY_SEED ? [Number(process.env.POLICY_SEED)] : Array.from({ length: 40 }, (_, i) => 5000 + i);
const SITES: SiteType[] = ["EDGE", "CLOUD", "ONPREM"];
const REGIONS = ["eu-west", "eu-central", "us-east"];
const APPS = ["x", "y", "z"];
const PROBES = [
  ["TCP", 80],
  ["TCP", 85],
  ["TCP", 8080],
  ["UDP", 53],
] as const;

type Rng = ReturnType<typeof seeded>;
interface World {
  fleet: Fleet;
  /** Members of the slice (the last cluster is outside it). */
  members: Set<string>;
  topology: "full-mesh" | "hub-spoke";
}

function randomFleet(r: Rng, policies: PolicyRule[]): World {
  const n = 3 + r.int(3);
  const clusters: FleetClusterInfo[] = Array.from({ length: n + 1 }, (_, i) => {
    // Namespaces differ a little between clusters: "c" is only where the coin says.
    const namespaces: Namespace[] = [
      { name: "a", labels: { team: "t1" } },
      { name: "b", labels: { team: "t2" } },
      ...(r.chance(0.5) ? [{ name: "c", labels: { team: "t1" } }] : []),
    ];
    const workloads = namespaces.flatMap((ns) =>
      APPS.map((app) => ({
        namespace: ns.name,
        name: `${app}-${ns.name}`,
        kind: "Deployment" as const,
        labels: app === "z" ? { app } : { app, tier: "front" },
        ports: [{ name: "http", port: app === "y" ? 85 : 8080, protocol: "TCP" as const }],
      })),
    );
    return {
      id: `c-${i}`,
      name: `k${i}`,
      labels: { env: r.chance(0.5) ? "prod" : "dev", region: r.pick(REGIONS) },
      siteType: r.pick(SITES),
      adminNetworkPolicy: true,
      namespaces,
      inventory: { adminNetworkPolicy: true, namespaces, workloads: workloads as AppInventory["workloads"], policies: [] },
    };
  });
  const inSlice = clusters.slice(0, n);
  const topology = r.chance(0.5) ? "full-mesh" : "hub-spoke";
  const links: Array<{ a: string; b: string }> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (topology === "full-mesh" || i === 0) links.push({ a: inSlice[i]!.id, b: inSlice[j]!.id });
  const members = inSlice.map((c, i) => ({ ...c, subnet: `192.168.${i}.0/24` }));
  return {
    fleet: { clusters, slices: [{ id: "s1", name: "mesh", posture: "ALLOW_WITHIN_SLICE", members, links }], policies },
    members: new Set(inSlice.map((c) => c.name)),
    topology,
  };
}

function randomClusters(r: Rng, names: string[]): EndpointSelector["clusters"] {
  return r.pick([
    {},
    {},
    { names: [r.pick(names)] },
    { names: [r.pick(names), r.pick(names)] },
    { selector: "env=prod" },
    { selector: "region in (eu-west,eu-central)" },
    { siteTypes: [r.pick(SITES)] },
    { siteTypes: ["CLOUD", "ONPREM"] as SiteType[] },
  ]);
}

function randomSide(r: Rng, names: string[]) {
  const namespaces = r.pick([{}, {}, { names: [r.pick(["a", "b", "c"])] }, { names: ["a", "c"] }, { selector: "team=t1" }, { selector: "team notin (t1)" }]);
  return ZEndpointSelector.parse({
    clusters: randomClusters(r, names),
    namespaces,
    pods: r.pick(["", "", "app=x", "app in (x,y)", "app!=z", "tier", "!tier"]),
  });
}

const PORTS = [[], [{ protocol: "TCP", port: 80 }], [{ protocol: "TCP", port: 80, endPort: 90 }], [{ protocol: "UDP" }], [{ protocol: "TCP", port: "http" }]];

function randomPolicies(r: Rng, names: string[]): PolicyRule[] {
  const count = 1 + r.int(6);
  const priorities = [...new Set(Array.from({ length: count }, () => r.int(100)))];
  const drafts = priorities.map((priority) => ({ priority, action: (r.chance(0.4) ? "DENY" : "ALLOW") as "ALLOW" | "DENY", ports: r.pick(PORTS) }));
  // Named ports only where validation accepts them: in an ALLOW that no DENY comes after.
  const lastDeny = Math.max(-1, ...drafts.filter((d) => d.action === "DENY").map((d) => d.priority));
  return drafts.map((d, i) => {
    const ports = d.action === "DENY" || d.priority < lastDeny ? d.ports.filter((p) => typeof (p as { port?: unknown }).port !== "string") : d.ports;
    return {
      id: `pol_${i}`,
      name: `p${i}`,
      enabled: r.chance(0.9),
      priority: d.priority,
      action: d.action,
      sliceId: null,
      from: randomSide(r, names),
      to: randomSide(r, names),
      ports: ports.map((p) => ZPolicyPort.parse(p)),
    };
  });
}

// ---- the intent, read directly from the policies (no compile, no engine) ----

interface End {
  cluster: FleetClusterInfo;
  workload: Workload;
}

const clusterHolds = (sel: EndpointSelector["clusters"], c: FleetClusterInfo) =>
  (!sel.names || sel.names.includes(c.name)) && (!sel.siteTypes || sel.siteTypes.includes(c.siteType)) && selectorMatches(sel.selector, c.labels);

function podHolds(side: EndpointSelector, e: End): boolean {
  const ns = e.cluster.namespaces!.find((n) => n.name === e.workload.namespace)!;
  const nsOk =
    (!side.namespaces.names || side.namespaces.names.includes(ns.name)) &&
    selectorMatches(side.namespaces.selector, { ...ns.labels, "kubernetes.io/metadata.name": ns.name });
  return nsOk && selectorMatches(side.pods, e.workload.labels);
}

const sideHolds = (side: EndpointSelector, e: End) => clusterHolds(side.clusters, e.cluster) && podHolds(side, e);

/** A named port means the destination's container port of that name. */
const portHolds = (p: PolicyRule, d: Workload, protocol: string, port: number) =>
  p.ports.length === 0 ||
  p.ports.some(
    (x) =>
      x.protocol === protocol &&
      (x.port === undefined ||
        (typeof x.port === "number"
          ? x.port <= port && port <= (x.endPort ?? x.port)
          : d.ports.some((c) => c.name === x.port && c.protocol === protocol && c.port === port))),
  );

/**
 * What the policies say (server/policies/README.md, "The model"). Within a cluster: the
 * first enabled policy by priority that holds for source, destination and port decides;
 * with none, a destination some ALLOW names as `to` accepts nothing else. Across
 * clusters each end sees the other cluster as its slice share, so the connection needs
 * a slice path and both ends: the source's first policy that holds for the source and
 * names the destination's cluster (DENY denies, ALLOW allows; none allows), and at the
 * destination an ALLOW naming it as `to` and the source's cluster in `from`, when some
 * ALLOW names it at all.
 */
function intent(w: World, policies: PolicyRule[], s: End, d: End, protocol: string, port: number): boolean {
  const live = policies.filter((p) => p.enabled).sort((a, b) => a.priority - b.priority);
  const named = live.filter((p) => p.action === "ALLOW" && sideHolds(p.to, d));
  if (s.cluster === d.cluster) {
    const first = live.find((p) => sideHolds(p.from, s) && sideHolds(p.to, d) && portHolds(p, d.workload, protocol, port));
    return first ? first.action === "ALLOW" : named.length === 0;
  }
  if (!w.members.has(s.cluster.name) || !w.members.has(d.cluster.name)) return false;
  const atSource = live.find((p) => sideHolds(p.from, s) && clusterHolds(p.to.clusters, d.cluster) && portHolds(p, d.workload, protocol, port));
  if (atSource?.action === "DENY") return false;
  return named.length === 0 || named.some((p) => clusterHolds(p.from.clusters, s.cluster) && portHolds(p, d.workload, protocol, port));
}

describe("intent and compiled result across clusters", () => {
  it("never disagree over random fleets and policy sets", () => {
    let checked = 0;
    let crossAllowed = 0;
    let crossDenied = 0;
    for (const seed of SEEDS) {
      const r = seeded(seed);
      const world = randomFleet(r, []);
      const names = world.fleet.clusters.map((c) => c.name);
      const policies = randomPolicies(r, names);
      world.fleet.policies = policies;
      const ev = new Evaluator(world.fleet, policies);
      const replay = `seed ${seed} (replay: POLICY_SEED=${seed}), ${world.topology}`;
      for (const c of world.fleet.clusters) expect(ev.cluster(c.name)!.problems, replay).toEqual([]);
      const ends: End[] = world.fleet.clusters.flatMap((cluster) =>
        cluster.inventory!.workloads.map((workload) => ({ cluster, workload: workload as Workload })),
      );
      for (let q = 0; q < 400; q++) {
        const s = r.pick(ends);
        const d = r.pick(ends);
        if (s === d) continue;
        const [protocol, port] = r.pick(PROBES);
        const got = ev.decide(
          { cluster: s.cluster.name, namespace: s.workload.namespace, workload: s.workload.name },
          { cluster: d.cluster.name, namespace: d.workload.namespace, workload: d.workload.name },
          protocol,
          port,
        );
        const want = intent(world, policies, s, d, protocol, port);
        const query = `${s.cluster.name}/${s.workload.namespace}/${s.workload.name} → ${d.cluster.name}/${d.workload.namespace}/${d.workload.name} ${protocol} ${port}`;
        expect(
          got.decision,
          `${replay}: ${query} (${got.reason}); clusters ${JSON.stringify(world.fleet.clusters.map((c) => [c.name, c.labels, c.siteType]))}; policies ${JSON.stringify(policies)}`,
        ).toBe(want ? "ALLOW" : "DENY");
        checked++;
        if (s.cluster !== d.cluster && want) crossAllowed++;
        else if (s.cluster !== d.cluster) crossDenied++;
      }
    }
    // Guards the generator: it must reach both outcomes across clusters, often.
    expect(checked).toBeGreaterThan(SEEDS.length * 300);
    expect(Math.min(crossAllowed, crossDenied)).toBeGreaterThan(SEEDS.length * 20);
  });

  it("the compact matrix gives every cell the preview's decision and deciding rules", () => {
    for (const seed of SEEDS.slice(0, 15)) {
      const r = seeded(seed);
      const world = randomFleet(r, []);
      world.fleet.policies = randomPolicies(
        r,
        world.fleet.clusters.map((c) => c.name),
      );
      // Namespaces ("any pod") and some named workloads, as the API and a query name them.
      const refs: ConnectionRef[] = world.fleet.clusters.flatMap((c) => [
        ...c.namespaces!.map((n) => ({ cluster: c.name, namespace: n.name })),
        ...c.inventory!.workloads.filter(() => r.chance(0.3)).map((wl) => ({ cluster: c.name, namespace: wl.namespace, workload: wl.name })),
      ]);
      for (const [protocol, port] of PROBES) {
        const m = compactMatrix(new Evaluator(world.fleet, world.fleet.policies), refs, protocol, port);
        const ev = new Evaluator(world.fleet, world.fleet.policies);
        refs.forEach((f, i) =>
          refs.forEach((t, j) => {
            if (i === j) expect(cellAt(m, i, j)).toBeNull();
            else
              expect(cellAt(m, i, j), `seed ${seed} (replay: POLICY_SEED=${seed}) ${JSON.stringify(f)} → ${JSON.stringify(t)} ${protocol} ${port}`).toEqual(
                ev.decide(f, t, protocol, port),
              );
          }),
        );
      }
    }
  });
});
