// Intent → the objects one cluster enforces. Pure: the caller loads the cluster, the
// slices it belongs to (with every member's share) and the tenant's policies, so the
// work is proportional to this cluster's peers × policies, never to the fleet squared.
//
// The model (README.md in this folder says why):
// * ALLOW compiles to ingress NetworkPolicies on the destination cluster, one per
//   destination namespace: every CNI enforces them. Egress stays open, as slice
//   isolation leaves it, since closing it would also cut DNS and the API server.
// * DENY compiles to an AdminNetworkPolicy with egress Deny rules on each source
//   cluster (the only tier that can deny; v1alpha1 ingress peers cannot name address
//   ranges, egress ones can). A cluster that reports no ANP support gets nothing for it
//   and validation refuses the policy, naming the cluster.
// * An ALLOW that precedes (lower priority number) a DENY compiled on the same cluster
//   also becomes an ANP egress Allow rule at its priority, so the DENY below cannot cut it.
// * Traffic from another cluster arrives from that cluster's share of a slice both are
//   members of (an ipBlock / networks CIDR); traffic to another cluster goes to its share.
import type { SiteType } from "../../protocol/index";
import type { Namespace, Selector } from "./engine/types";
import { selectorMatches, selectorOf, toKubeSelector } from "./label-selector";
import type { EndpointSelector, PolicyPort, PolicyRule } from "./rules";

/** On every object Isthmus delivers: policies, and the slices' isolation (bundles/manifests.ts). */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const POLICY_LABEL = "isthmus.io/policy";
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
export const ANP_API = "policy.networking.k8s.io/v1alpha1";

export interface FleetCluster {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  siteType: SiteType;
  /** Reported AdminNetworkPolicy support; null when not reported. */
  adminNetworkPolicy: boolean | null;
}

export interface SliceMembers {
  id: string;
  name: string;
  /** Every member (this cluster too) with its share of the slice subnet. */
  members: Array<FleetCluster & { subnet: string }>;
}

export interface CompileContext {
  self: FleetCluster;
  /** The cluster's namespaces with labels, when the agent reported them; null when unknown. */
  namespaces: Namespace[] | null;
  /** The slices this cluster is a member of. */
  slices: SliceMembers[];
  /** The tenant's policies (disabled ones are skipped here). */
  policies: PolicyRule[];
}

export interface CompileProblem {
  policy: string;
  cluster: string;
  field: string;
  message: string;
}

type Obj = Record<string, unknown>;
export interface CompiledObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: Obj;
}

export function clusterMatches(sel: EndpointSelector["clusters"], c: Pick<FleetCluster, "name" | "labels" | "siteType">): boolean {
  if (sel.names && !sel.names.includes(c.name)) return false;
  if (sel.siteTypes && !sel.siteTypes.includes(c.siteType)) return false;
  return selectorMatches(sel.selector, c.labels);
}

/** The namespaces of one side as a Kubernetes namespaceSelector (names by their metadata.name label). */
export function namespaceSelector(sel: EndpointSelector["namespaces"]): Selector {
  const s = selectorOf(sel.selector);
  if (!sel.names) return s;
  return {
    matchLabels: s.matchLabels,
    matchExpressions: [...s.matchExpressions, { key: NAMESPACE_NAME_LABEL, operator: "In", values: [...new Set(sel.names)].sort() }],
  };
}

export const namespaceMatches = (sel: EndpointSelector["namespaces"], ns: Namespace) =>
  (!sel.names || sel.names.includes(ns.name)) && selectorMatches(sel.selector, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });

const objectName = (policy: string) => `isthmus-policy.${policy}`;

function npPorts(ports: PolicyPort[]) {
  if (ports.length === 0) return undefined;
  return ports.map((p) => ({
    protocol: p.protocol,
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.endPort !== undefined && p.endPort !== p.port ? { endPort: p.endPort } : {}),
  }));
}

/** ANP ports (standard channel: numbers and ranges only). Null when a named port makes it impossible. */
function anpPorts(ports: PolicyPort[]): Obj[] | undefined | null {
  if (ports.length === 0) return undefined;
  const out: Obj[] = [];
  for (const p of ports) {
    if (typeof p.port === "string") return null;
    if (p.port === undefined) out.push({ portRange: { protocol: p.protocol, start: 1, end: 65535 } });
    else if (p.endPort !== undefined && p.endPort !== p.port) out.push({ portRange: { protocol: p.protocol, start: p.port, end: p.endPort } });
    else out.push({ portNumber: { protocol: p.protocol, port: p.port } });
  }
  return out;
}

/** The shares of the peers matching `sel`, over the slices the policy may use. */
function remoteShares(ctx: CompileContext, p: PolicyRule, sel: EndpointSelector["clusters"]): string[] {
  const out = new Set<string>();
  for (const s of ctx.slices) {
    if (p.sliceId && s.id !== p.sliceId) continue;
    for (const m of s.members) if (m.id !== ctx.self.id && clusterMatches(sel, m)) out.add(m.subnet);
  }
  return [...out].sort();
}

const podsPeer = (side: EndpointSelector) => ({
  namespaceSelector: toKubeSelector(namespaceSelector(side.namespaces)),
  podSelector: toKubeSelector(selectorOf(side.pods)),
});

/** Everything this cluster must enforce for the tenant's policies, sorted, with what could not be compiled. */
export function compilePolicies(ctx: CompileContext): { objects: CompiledObject[]; problems: CompileProblem[] } {
  const objects: CompiledObject[] = [];
  const problems: CompileProblem[] = [];
  const self = ctx.self;
  const problem = (p: PolicyRule, field: string, message: string) => problems.push({ policy: p.name, cluster: self.name, field, message });
  const active = ctx.policies
    .filter((p) => p.enabled && (!p.sliceId || ctx.slices.some((s) => s.id === p.sliceId)))
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
  const labels = (p: PolicyRule) => ({ [MANAGED_BY_LABEL]: "isthmus", [POLICY_LABEL]: p.id });

  // DENYs first: where they land decides which ALLOWs must also become ANP rules.
  let lowestDeny = -1;
  const egress = (p: PolicyRule) => {
    if (!clusterMatches(p.from.clusters, self)) return null;
    const peers: Obj[] = [];
    if (clusterMatches(p.to.clusters, self)) peers.push({ pods: podsPeer(p.to) });
    const shares = remoteShares(ctx, p, p.to.clusters);
    if (shares.length) peers.push({ networks: shares });
    return peers.length ? peers : null;
  };
  const anp = (p: PolicyRule, action: "Allow" | "Deny", peers: Obj[]): CompiledObject | null => {
    const ports = anpPorts(p.ports);
    if (ports === null) {
      problem(p, "ports", `cluster ${self.name} needs this policy as an AdminNetworkPolicy, which cannot name ports (standard channel): use port numbers`);
      return null;
    }
    return {
      apiVersion: ANP_API,
      kind: "AdminNetworkPolicy",
      metadata: { name: objectName(p.name), labels: labels(p) },
      spec: { priority: p.priority, subject: { pods: podsPeer(p.from) }, egress: [{ name: p.name, action, to: peers, ...(ports ? { ports } : {}) }] },
    };
  };
  for (const p of active) {
    if (p.action !== "DENY") continue;
    const peers = egress(p);
    if (!peers) continue;
    if (self.adminNetworkPolicy !== true) {
      problem(p, "action", `cluster ${self.name} reports no AdminNetworkPolicy support, so it cannot enforce this DENY`);
      continue;
    }
    const o = anp(p, "Deny", peers);
    if (o) {
      objects.push(o);
      lowestDeny = Math.max(lowestDeny, p.priority);
    }
  }

  for (const p of active) {
    if (p.action !== "ALLOW") continue;
    if (p.priority < lowestDeny) {
      const peers = egress(p);
      const o = peers && anp(p, "Allow", peers);
      if (o) objects.push(o);
    }
    if (!clusterMatches(p.to.clusters, self)) continue;
    const from: Obj[] = [];
    if (clusterMatches(p.from.clusters, self)) {
      const nsSel = toKubeSelector(namespaceSelector(p.from.namespaces));
      from.push({ namespaceSelector: nsSel, podSelector: toKubeSelector(selectorOf(p.from.pods)) });
    }
    for (const cidr of remoteShares(ctx, p, p.from.clusters)) from.push({ ipBlock: { cidr } });
    // A destination an ALLOW names accepts nothing else, even when none of the ALLOW's
    // sources can reach it here (none on this cluster, none across a slice): then the
    // NetworkPolicy only isolates (no ingress rule), rather than being left out.
    const ingress = from.length ? [{ from, ...(npPorts(p.ports) ? { ports: npPorts(p.ports) } : {}) }] : [];
    for (const namespace of subjectNamespaces(ctx, p, problem)) {
      objects.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: objectName(p.name), namespace, labels: labels(p) },
        spec: { podSelector: toKubeSelector(selectorOf(p.to.pods)), policyTypes: ["Ingress"], ingress },
      });
    }
  }
  const key = (o: CompiledObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { objects, problems };
}

/** The destination namespaces of an ALLOW here: NetworkPolicies are namespaced, one per namespace. */
function subjectNamespaces(ctx: CompileContext, p: PolicyRule, problem: (p: PolicyRule, field: string, message: string) => void): string[] {
  const sel = p.to.namespaces;
  if (ctx.namespaces)
    return ctx.namespaces
      .filter((ns) => namespaceMatches(sel, ns))
      .map((ns) => ns.name)
      .sort();
  if (sel.names && !sel.selector) return [...new Set(sel.names)].sort();
  problem(
    p,
    "to.namespaces",
    `cluster ${ctx.self.name} has not reported its namespaces and their labels, so a namespace selector cannot be resolved there yet`,
  );
  return [];
}
