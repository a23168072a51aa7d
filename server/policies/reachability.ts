// What will be enforced, evaluated with the engine: per cluster, the compiled objects
// plus the cluster's own (reported) objects. Within a cluster a connection needs the
// source's egress and the destination's ingress; across clusters, the source cluster's
// egress towards the destination's slice share, the destination cluster's ingress from
// the source's share, and a path through the slice (a direct link, or via the hub).
import { parseCidr, parseManifests, type Protocol } from "../netpol/engine/index";
import { decide, selectsByNp, subjectMatches, type Endpoint, type SubjectPolicies, type Verdict } from "../netpol/engine/tiers";
import { adminPolicy, networkPolicy } from "../netpol/engine/parse-policies";
import type { AdminPolicy, Inventory, Labels, NetworkPolicy, Workload } from "../netpol/engine/types";
import { compilePolicies, type CompiledObject, type CompileProblem } from "../netpol/compile";
import type { Fleet, FleetClusterInfo } from "../netpol/fleet";
import { PolicyRule } from "../netpol/rules";

/** Stands for "any pod" of a namespace when the query names no workload: no labels, no ports. */
export const ANY_POD = "(any pod)";

export interface DecidedBy {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  rule?: string;
  verdict: "Allow" | "Deny" | "Pass";
}

export interface EnforcedCluster {
  cluster: FleetClusterInfo;
  compiled: CompiledObject[];
  problems: CompileProblem[];
  inventory: Inventory;
  warnings: string[];
}

/** Compile a cluster with the given policies and merge its own reported objects in. */
export function enforcedCluster(fleet: Fleet, cluster: FleetClusterInfo, policies: PolicyRule[]): EnforcedCluster {
  const slices = fleet.slices.filter((s) => s.members.some((m) => m.id === cluster.id));
  const { objects, problems } = compilePolicies({ self: cluster, namespaces: cluster.namespaces, slices, policies });
  const own = (cluster.inventory?.policies ?? []).filter(
    (o) => (o as { metadata?: { labels?: Record<string, string> } }).metadata?.labels?.["app.kubernetes.io/managed-by"] !== "isthmus",
  );
  // The cluster's own objects are untrusted text: the engine's manifest reader, with its
  // warnings. The compiled ones are already objects: read them directly, without a YAML pass.
  const parsed = parseManifests([{ path: `${cluster.name}`, text: JSON.stringify(own) }]);
  const warnings = [...parsed.warnings];
  const mine = { networkPolicies: [] as NetworkPolicy[], adminPolicies: [] as AdminPolicy[] };
  for (const o of objects) {
    try {
      if (o.kind === "NetworkPolicy") mine.networkPolicies.push(networkPolicy(o as unknown as Record<string, unknown>, o.metadata.namespace!, o.metadata.name));
      else mine.adminPolicies.push(adminPolicy(o as unknown as Record<string, unknown>, "AdminNetworkPolicy", o.metadata.name));
    } catch (err) {
      warnings.push(`compiled ${o.kind} ${o.metadata.name}: ${(err as Error).message}`);
    }
  }
  const inventory: Inventory = {
    namespaces: (cluster.namespaces ?? []).map((n) => ({ name: n.name, labels: { ...n.labels, "kubernetes.io/metadata.name": n.name } })),
    workloads: (cluster.inventory?.workloads ?? []).map((w) => ({ ...w, ports: w.ports.map((p) => ({ ...p })) })),
    networkPolicies: [...parsed.inventory.networkPolicies, ...mine.networkPolicies],
    adminPolicies: [...parsed.inventory.adminPolicies, ...mine.adminPolicies],
    baselinePolicies: parsed.inventory.baselinePolicies,
  };
  return { cluster, compiled: objects, problems, inventory, warnings };
}

export interface EndpointRef {
  namespace: string;
  workload?: string;
}

/** The workload a query means in this cluster; "any pod" of the namespace when none is named. */
export function workloadOf(e: EnforcedCluster, ref: EndpointRef): Workload | null {
  if (ref.workload) return e.inventory.workloads.find((w) => w.namespace === ref.namespace && w.name === ref.workload) ?? null;
  return { namespace: ref.namespace, name: ANY_POD, kind: "Pod", labels: {}, ports: [] };
}

export const nsLabels = (e: EnforcedCluster, ns: string): Labels =>
  e.inventory.namespaces.find((n) => n.name === ns)?.labels ?? { "kubernetes.io/metadata.name": ns };

/** The policies that select one subject, per direction, in the engine's evaluation order (as prepare() orders them). */
export function subjectPolicies(e: EnforcedCluster, w: Workload): Record<"ingress" | "egress", SubjectPolicies[]> {
  const labels = nsLabels(e, w.namespace);
  const anps = e.inventory.adminPolicies
    .filter((p) => subjectMatches(p.subject, w, labels))
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
  const banps = e.inventory.baselinePolicies.filter((p) => subjectMatches(p.subject, w, labels));
  const nps = e.inventory.networkPolicies.filter((np) => selectsByNp(np, w));
  return {
    ingress: [{ anps, nps: nps.filter((np) => np.ingressIsolates), banps }],
    egress: [{ anps, nps: nps.filter((np) => np.egressIsolates), banps }],
  };
}

// A verdict belongs to one cluster's subject, so its reasons at one port are the same
// wherever it meets: parse them once.
const reasonCache = new WeakMap<Verdict, Map<string, DecidedBy[]>>();

export function reasonsFor(cluster: string, v: Verdict, protocol: Protocol, port: number): DecidedBy[] {
  let byPort = reasonCache.get(v);
  if (!byPort) reasonCache.set(v, (byPort = new Map()));
  const key = `${cluster}|${protocol}|${port}`;
  let out = byPort.get(key);
  if (!out) byPort.set(key, (out = reasonsOf(cluster, v, protocol, port)));
  return out;
}

function reasonsOf(cluster: string, v: Verdict, protocol: Protocol, port: number): DecidedBy[] {
  const out: DecidedBy[] = [];
  for (const r of v.reasons) {
    if (!r.conns.contains(protocol, port)) continue;
    for (const by of r.by) out.push(parseBy(cluster, r.tier, r.verdict, by));
  }
  return out;
}

function parseBy(cluster: string, tier: string, verdict: DecidedBy["verdict"], by: string): DecidedBy {
  let m: RegExpExecArray | null;
  if ((m = /^AdminNetworkPolicy (\S+) \(priority \d+\) (.*)$/.exec(by))) return { cluster, kind: "AdminNetworkPolicy", name: m[1]!, rule: m[2], verdict };
  if ((m = /^BaselineAdminNetworkPolicy (\S+) (.*)$/.exec(by))) return { cluster, kind: "BaselineAdminNetworkPolicy", name: m[1]!, rule: m[2], verdict };
  if ((m = /^NetworkPolicy ([^/\s]+)\/(\S+) (.*)$/.exec(by))) return { cluster, kind: "NetworkPolicy", namespace: m[1], name: m[2]!, rule: m[3], verdict };
  return { cluster, kind: tier, name: by, verdict };
}

/** One direction of one connection in one cluster. */
export function directionVerdict(e: EnforcedCluster, dir: "ingress" | "egress", subject: Workload, peer: Endpoint): Verdict {
  const policies = subjectPolicies(e, subject)[dir][0]!;
  return decide(dir, subject, peer, policies, true);
}

/** A share's first address: where the slice's traffic of that cluster comes from / goes to. */
export function shareEndpoint(subnet: string): Endpoint {
  const r = parseCidr(subnet);
  return { type: "external", range: { family: r.family, lo: r.lo, hi: r.lo } };
}

const adjacency = new WeakMap<object, Map<string, string[]>>();
function linksOf(s: Fleet["slices"][number]): Map<string, string[]> {
  let next = adjacency.get(s);
  if (!next) {
    next = new Map<string, string[]>();
    for (const l of s.links) {
      if (!next.has(l.a)) next.set(l.a, []);
      if (!next.has(l.b)) next.set(l.b, []);
      next.get(l.a)!.push(l.b);
      next.get(l.b)!.push(l.a);
    }
    adjacency.set(s, next);
  }
  return next;
}

/** A path of cluster ids through one slice both are members of (direct, or through the hub), or null. */
export function slicePath(
  fleet: Fleet,
  a: string,
  b: string,
  sliceId?: string | null,
): { slice: string; path: string[]; shares: { a: string; b: string } } | null {
  for (const s of fleet.slices) {
    if (sliceId && s.id !== sliceId) continue;
    const ma = s.members.find((m) => m.id === a);
    const mb = s.members.find((m) => m.id === b);
    if (!ma || !mb) continue;
    const next = linksOf(s);
    if (next.get(a)?.includes(b)) return { slice: s.name, path: [a, b], shares: { a: ma.subnet, b: mb.subnet } };
    const prev = new Map<string, string>([[a, a]]);
    const queue = [a];
    while (queue.length && !prev.has(b)) {
      const at = queue.shift()!;
      for (const n of next.get(at) ?? []) {
        if (prev.has(n)) continue;
        prev.set(n, at);
        queue.push(n);
      }
    }
    if (!prev.has(b)) continue;
    const path = [b];
    while (path[0] !== a) path.unshift(prev.get(path[0]!)!);
    return { slice: s.name, path, shares: { a: ma.subnet, b: mb.subnet } };
  }
  return null;
}

export interface Decision {
  decision: "ALLOW" | "DENY";
  decidedBy: DecidedBy[];
  path: string[];
  reason: string;
}

export interface ConnectionRef extends EndpointRef {
  cluster: string;
}

/**
 * Decisions over one fleet and one policy set, with every compile, prepared subject,
 * direction verdict and slice path computed once: a matrix of n endpoints costs n
 * compiles-worth of work per cluster plus n² cheap combinations, not n² evaluations.
 */
export interface Resolved {
  e: EnforcedCluster;
  w: Workload;
  /** How this endpoint is named as a peer within its cluster. */
  peerKey: string;
  policies?: ReturnType<typeof subjectPolicies>;
  verdicts: { ingress: Map<string, Verdict>; egress: Map<string, Verdict> };
}

export interface Route {
  /** Cluster names along the slice path; empty when no slice carries the traffic. */
  names: string[];
  src: string;
  dst: string;
  via: string;
  /** Peer keys of the two shares (cross-cluster only). */
  srcShare?: { key: string; endpoint: Endpoint };
  dstShare?: { key: string; endpoint: Endpoint };
  combined: Map<string, Map<Verdict, Map<Verdict, Decision>>>;
}

export class Evaluator {
  private readonly clusters = new Map<string, EnforcedCluster>();
  private readonly resolved = new Map<string, Resolved>();
  /** The same ref object asked again (a matrix row and column) skips building its key. */
  private readonly byRef = new WeakMap<ConnectionRef, Resolved>();
  private readonly routes = new Map<EnforcedCluster, Map<EnforcedCluster, Route | null>>();
  private readonly byName: Map<string, FleetClusterInfo>;

  constructor(
    readonly fleet: Fleet,
    readonly policies: PolicyRule[],
    /** Clusters the caller already compiled with these policies. */
    compiled: EnforcedCluster[] = [],
  ) {
    this.byName = new Map(fleet.clusters.map((c) => [c.name, c]));
    for (const e of compiled) this.clusters.set(e.cluster.id, e);
  }

  cluster(name: string): EnforcedCluster | null {
    const c = this.byName.get(name);
    if (!c) return null;
    let e = this.clusters.get(c.id);
    if (!e) this.clusters.set(c.id, (e = enforcedCluster(this.fleet, c, this.policies)));
    return e;
  }

  /** The cluster and workload a ref names (throws when either is unknown). */
  resolve(ref: ConnectionRef): Resolved {
    const known = this.byRef.get(ref);
    if (known) return known;
    const key = `${ref.cluster}/${ref.namespace}/${ref.workload ?? ""}`;
    let r = this.resolved.get(key);
    if (!r) {
      const e = this.cluster(ref.cluster);
      if (!e) throw new Error("cluster not found");
      const w = workloadOf(e, ref);
      if (!w) throw new Error("workload not found");
      r = { e, w, peerKey: `w:${w.namespace}/${w.name}`, verdicts: { ingress: new Map(), egress: new Map() } };
      this.resolved.set(key, r);
    }
    this.byRef.set(ref, r);
    return r;
  }

  private verdict(r: Resolved, dir: "ingress" | "egress", peerKey: string, peer: () => Endpoint): Verdict {
    let v = r.verdicts[dir].get(peerKey);
    if (!v) {
      r.policies ??= subjectPolicies(r.e, r.w);
      v = decide(dir, r.w, peer(), r.policies[dir][0]!, true);
      r.verdicts[dir].set(peerKey, v);
    }
    return v;
  }

  /** How traffic goes from one cluster to another (or within one); null when no slice carries it. */
  route(src: EnforcedCluster, dst: EnforcedCluster): Route | null {
    let from = this.routes.get(src);
    if (!from) this.routes.set(src, (from = new Map()));
    if (from.has(dst)) return from.get(dst)!;
    const sName = src.cluster.name;
    const dName = dst.cluster.name;
    let route: Route | null;
    if (src.cluster.id === dst.cluster.id) route = { names: [sName], src: sName, dst: dName, via: "within the cluster", combined: new Map() };
    else {
      const path = slicePath(this.fleet, src.cluster.id, dst.cluster.id);
      route = path
        ? {
            names: path.path.map((id) => this.fleet.clusters.find((c) => c.id === id)?.name ?? id),
            src: sName,
            dst: dName,
            via: `through slice ${path.slice} (${sName} share ${path.shares.a} → ${dName} share ${path.shares.b})`,
            srcShare: { key: `x:${path.shares.a}`, endpoint: shareEndpoint(path.shares.a) },
            dstShare: { key: `x:${path.shares.b}`, endpoint: shareEndpoint(path.shares.b) },
            combined: new Map(),
          }
        : null;
    }
    from.set(dst, route);
    return route;
  }

  decide(from: ConnectionRef, to: ConnectionRef, protocol: Protocol, port: number): Decision {
    const s = this.resolve(from);
    const d = this.resolve(to);
    const route = this.route(s.e, d.e);
    if (!route) return noPath(s.e, d.e);
    const egress = route.dstShare
      ? this.verdict(s, "egress", route.dstShare.key, () => route.dstShare!.endpoint)
      : this.verdict(s, "egress", d.peerKey, () => ({ type: "workload", workload: d.w, nsLabels: nsLabels(d.e, d.w.namespace) }));
    const ingress = route.srcShare
      ? this.verdict(d, "ingress", route.srcShare.key, () => route.srcShare!.endpoint)
      : this.verdict(d, "ingress", s.peerKey, () => ({ type: "workload", workload: s.w, nsLabels: nsLabels(s.e, s.w.namespace) }));
    // Few distinct verdicts meet many times: each (egress, ingress) pair is combined once.
    const portKey = `${protocol}|${port}`;
    let byEgress = route.combined.get(portKey);
    if (!byEgress) route.combined.set(portKey, (byEgress = new Map()));
    let byIngress = byEgress.get(egress);
    if (!byIngress) byEgress.set(egress, (byIngress = new Map()));
    let out = byIngress.get(ingress);
    if (!out) byIngress.set(ingress, (out = combine(route.src, route.dst, egress, ingress, protocol, port, route.names, route.via)));
    return out;
  }
}

/** Across two clusters that share no slice with a path between them. */
export const noPath = (src: EnforcedCluster, dst: EnforcedCluster): Decision => ({
  decision: "DENY",
  decidedBy: [],
  path: [],
  reason: `no slice carries traffic from ${src.cluster.name} to ${dst.cluster.name}: they share no slice with a path between them`,
});

/** One connection, from a workload in one cluster to a workload in another (or the same). */
export function decideConnection(
  fleet: Fleet,
  src: EnforcedCluster,
  dst: EnforcedCluster,
  from: EndpointRef,
  to: EndpointRef,
  protocol: Protocol,
  port: number,
): Decision {
  const ev = new Evaluator(fleet, fleet.policies, [src, dst]);
  return ev.decide({ ...from, cluster: src.cluster.name }, { ...to, cluster: dst.cluster.name }, protocol, port);
}

export function combine(
  sName: string,
  dName: string,
  egress: Verdict,
  ingress: Verdict,
  protocol: Protocol,
  port: number,
  path: string[],
  via: string,
): Decision {
  const out = egress.allowed.contains(protocol, port);
  const inn = ingress.allowed.contains(protocol, port);
  const eBy = reasonsFor(sName, egress, protocol, port);
  const iBy = reasonsFor(dName, ingress, protocol, port);
  if (out && inn)
    return { decision: "ALLOW", decidedBy: [...eBy, ...iBy], path, reason: `${sName} egress and ${dName} ingress both allow ${protocol} ${port}, ${via}` };
  const decidedBy = [...(out ? [] : eBy), ...(inn ? [] : iBy)];
  const sides = [!out ? `${sName} egress` : null, !inn ? `${dName} ingress` : null].filter(Boolean).join(" and ");
  return { decision: "DENY", decidedBy, path, reason: `${sides} den${sides.includes(" and ") ? "y" : "ies"} ${protocol} ${port}, ${via}` };
}
