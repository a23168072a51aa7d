// One direction of one connection, decided tier by tier as the specs order them:
// AdminNetworkPolicy rules (priority, then rule order; Allow / Deny / Pass), then
// NetworkPolicy (only where some policy isolates the pod for this direction), then
// BaselineAdminNetworkPolicy (Allow / Deny), then the default: allow.
import { ConnSet } from "./conn-set";
import { maxAddress, rangeContains, rangesOverlap, type IpRange } from "./ip-ranges";
import { matches } from "./selectors";
import type { AdminPolicy, AnpPeer, AnpSubject, Labels, NetworkPolicy, NpPeer, PortSpec, Workload } from "./types";

export type Direction = "ingress" | "egress";

/** A workload with its namespace's labels, or a range of addresses outside the cluster. */
export type Endpoint = { type: "workload"; workload: Workload; nsLabels: Labels } | { type: "external"; range: IpRange };

export type Tier = "AdminNetworkPolicy" | "NetworkPolicy" | "BaselineAdminNetworkPolicy" | "default";

/** One part of a direction's verdict: these connections, this outcome, because of these rules. */
export interface Reason {
  tier: Tier;
  verdict: "Allow" | "Deny" | "Pass";
  conns: ConnSet;
  /** "AdminNetworkPolicy deny-all (priority 5) egress rule 0 \"block\"", … */
  by: string[];
}

export interface Verdict {
  allowed: ConnSet;
  reasons: Reason[];
}

function portsFor(ports: readonly PortSpec[] | undefined, dst: Workload | undefined): ConnSet {
  if (!ports) return ConnSet.all;
  let out = ConnSet.none;
  for (const p of ports) {
    if ("named" in p) {
      // A named port means the destination pod's container port of that name, so it
      // resolves per destination, and to nothing outside the cluster.
      for (const c of dst?.ports ?? [])
        if (c.name === p.named && (p.protocol === null || c.protocol === p.protocol)) out = out.union(ConnSet.ports(c.protocol, c.port));
    } else out = out.union(ConnSet.ports(p.protocol, p.lo, p.hi));
  }
  return out;
}

export function selectsByNp(np: NetworkPolicy, w: Workload): boolean {
  return w.namespace === np.namespace && matches(np.podSelector, w.labels);
}

function npPeerMatches(peer: NpPeer, np: NetworkPolicy, e: Endpoint): boolean {
  if (e.type === "external") {
    // ipBlock describes addresses outside the cluster; pod selectors never match them.
    const b = peer.ipBlock;
    return !!b && rangeContains(b.cidr, e.range) && !b.except.some((x) => rangesOverlap(x, e.range));
  }
  if (peer.ipBlock) return false;
  // namespaceSelector alone: all pods of the selected namespaces; podSelector alone:
  // pods of the policy's own namespace; both: pods matching both.
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, e.nsLabels) : e.workload.namespace === np.namespace;
  return nsOk && (!peer.podSelector || matches(peer.podSelector, e.workload.labels));
}

export function subjectMatches(s: AnpSubject, w: Workload, nsLabels: Labels): boolean {
  if ("namespaces" in s) return matches(s.namespaces, nsLabels);
  return matches(s.pods.namespaceSelector, nsLabels) && matches(s.pods.podSelector, w.labels);
}

function anpPeerMatches(peer: AnpPeer, e: Endpoint): boolean {
  if (e.type === "external") return !!peer.networks?.some((n) => rangeContains(n, e.range));
  if (peer.namespaces) return matches(peer.namespaces, e.nsLabels);
  if (peer.pods) return matches(peer.pods.namespaceSelector, e.nsLabels) && matches(peer.pods.podSelector, e.workload.labels);
  // "cluster-internal traffic will be checked against the rule as well. So if you Allow
  // or Deny traffic to "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic".
  // Pod addresses are not in an inventory, so only a network spanning all of IPv4 is
  // known to hold every pod; node addresses are not in an inventory either.
  if (peer.networks) return peer.networks.some((n) => n.family === 4 && n.lo === 0n && n.hi === maxAddress(4));
  return false;
}

export interface SubjectPolicies {
  /** ANPs selecting the subject, in evaluation order. */
  anps: AdminPolicy[];
  /** NetworkPolicies selecting the subject that isolate it in this direction. */
  nps: NetworkPolicy[];
  banps: AdminPolicy[];
}

/** One rule that can decide some of a subject's traffic, and whether it matches a peer. */
export interface RuleMatcher {
  rule: object;
  matches: (e: Endpoint) => boolean;
}

/**
 * Every rule decide() may consult for this subject and direction, in its order. A
 * verdict depends on the peer only through these matches and, where a rule names a
 * port on the destination, the destination's container ports: callers may reuse a
 * verdict for peers that agree on both.
 */
export function ruleMatchers(dir: Direction, policies: SubjectPolicies): { matchers: RuleMatcher[]; namedPorts: boolean } {
  const matchers: RuleMatcher[] = [];
  let namedPorts = false;
  const note = (ports: readonly PortSpec[] | undefined) => (namedPorts ||= !!ports?.some((p) => "named" in p));
  for (const anp of [...policies.anps, ...policies.banps]) {
    for (const rule of anp[dir]) {
      note(rule.ports);
      matchers.push({ rule, matches: (e) => rule.peers.some((p) => anpPeerMatches(p, e)) });
    }
  }
  for (const np of policies.nps) {
    for (const rule of np[dir]) {
      note(rule.ports);
      matchers.push({ rule, matches: (e) => !rule.peers || rule.peers.some((p) => npPeerMatches(p, np, e)) });
    }
  }
  return { matchers, namedPorts };
}

const anpName = (p: AdminPolicy) =>
  p.kind === "AdminNetworkPolicy" ? `AdminNetworkPolicy ${p.name} (priority ${p.priority})` : `BaselineAdminNetworkPolicy ${p.name}`;
const ruleName = (dir: Direction, r: { index: number; name?: string }) => `${dir} rule ${r.index}${r.name ? ` "${r.name}"` : ""}`;

/**
 * The connections `subject` lets through in `dir` with `peer` (the source for
 * ingress, the destination for egress). `explain` also fills the reasons.
 */
export function decide(dir: Direction, subject: Workload, peer: Endpoint, policies: SubjectPolicies, explain: boolean): Verdict {
  const dst = dir === "ingress" ? subject : peer.type === "workload" ? peer.workload : undefined;
  const reasons: Reason[] = [];
  let undecided = ConnSet.all;
  let allowed = ConnSet.none;
  let passed = ConnSet.none;

  for (const anp of policies.anps) {
    for (const rule of anp[dir]) {
      if (undecided.isEmpty()) break;
      if (!rule.peers.some((p) => anpPeerMatches(p, peer))) continue;
      const c = portsFor(rule.ports, dst).intersect(undecided);
      if (c.isEmpty()) continue;
      undecided = undecided.subtract(c);
      if (rule.action === "Allow") allowed = allowed.union(c);
      else if (rule.action === "Pass") passed = passed.union(c);
      if (explain) reasons.push({ tier: "AdminNetworkPolicy", verdict: rule.action, conns: c, by: [`${anpName(anp)} ${ruleName(dir, rule)}`] });
    }
  }

  // Pass hands its connections to the NetworkPolicy tier, as if no ANP matched them.
  let rest = undecided.union(passed);
  if (!rest.isEmpty() && policies.nps.length > 0) {
    let opened = ConnSet.none;
    const by: string[] = [];
    for (const np of policies.nps) {
      for (const rule of np[dir]) {
        if (rule.peers && !rule.peers.some((p) => npPeerMatches(p, np, peer))) continue;
        const c = portsFor(rule.ports, dst).intersect(rest);
        if (c.isEmpty()) continue;
        opened = opened.union(c);
        if (explain) by.push(`NetworkPolicy ${np.namespace}/${np.name} ${ruleName(dir, rule)}`);
      }
    }
    allowed = allowed.union(opened);
    if (explain) {
      if (!opened.isEmpty()) reasons.push({ tier: "NetworkPolicy", verdict: "Allow", conns: opened, by });
      const closed = rest.subtract(opened);
      if (!closed.isEmpty())
        reasons.push({
          tier: "NetworkPolicy",
          verdict: "Deny",
          conns: closed,
          by: policies.nps.map((np) => `NetworkPolicy ${np.namespace}/${np.name} isolates ${dir} and no rule allows it`),
        });
    }
    rest = ConnSet.none;
  }

  for (const banp of policies.banps) {
    for (const rule of banp[dir]) {
      if (rest.isEmpty()) break;
      if (!rule.peers.some((p) => anpPeerMatches(p, peer))) continue;
      const c = portsFor(rule.ports, dst).intersect(rest);
      if (c.isEmpty()) continue;
      rest = rest.subtract(c);
      if (rule.action === "Allow") allowed = allowed.union(c);
      if (explain) reasons.push({ tier: "BaselineAdminNetworkPolicy", verdict: rule.action, conns: c, by: [`${anpName(banp)} ${ruleName(dir, rule)}`] });
    }
  }

  if (!rest.isEmpty()) {
    allowed = allowed.union(rest);
    if (explain) reasons.push({ tier: "default", verdict: "Allow", conns: rest, by: ["no policy decides it: allowed by default"] });
  }
  return { allowed, reasons };
}
