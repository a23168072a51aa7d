// Every ordered pair of peers and the connections allowed between them. A connection
// is allowed when the source's egress and the destination's ingress both allow it;
// an address outside the cluster has no policies of its own, so only the
// in-cluster end decides.
import { ConnSet } from "./conn-set";
import { atomsOf, formatRange, mergeRanges, subtractRanges, type IpRange } from "./ip-ranges";
import { Decider } from "./memo";
import { decide, selectsByNp, subjectMatches, type Direction, type Endpoint, type SubjectPolicies, type Verdict } from "./tiers";
import type { Inventory, Labels, Workload } from "./types";

export interface PairResult {
  src: string;
  dst: string;
  conns: ConnSet;
  /** With explain: the source's egress verdict (absent when the source is external). */
  egress?: Verdict;
  /** With explain: the destination's ingress verdict (absent when the destination is external). */
  ingress?: Verdict;
}

export interface Analysis {
  peers: string[];
  /** Pairs with at least one allowed connection (all pairs with explain), sorted by src, dst. */
  pairs: PairResult[];
}

/** netpol-analyzer's names: "ns/name[Kind]" and "first-last[External]". */
export const workloadName = (w: Workload) => `${w.namespace}/${w.name}[${w.kind}]`;
export const externalName = (r: IpRange) => `${formatRange(r)}[External]`;

// The address sets each peer selects: an ipBlock is its cidr without its excepts, a
// networks peer the union of its CIDRs. Cutting at the edges of these sets (not of
// every CIDR written) leaves no cut that separates nothing: excepts 10.0.0.0/9 and
// 10.128.0.0/9 make one hole, 10.0.0.0-10.255.255.255, as netpol-analyzer reports it.
function mentionedRanges(inv: Inventory, dir: Direction): IpRange[] {
  const out: IpRange[] = [];
  for (const np of inv.networkPolicies) {
    for (const rule of np[dir]) for (const p of rule.peers ?? []) if (p.ipBlock) out.push(...subtractRanges(p.ipBlock.cidr, p.ipBlock.except));
  }
  for (const anp of [...inv.adminPolicies, ...inv.baselinePolicies]) {
    for (const rule of anp[dir]) for (const p of rule.peers) out.push(...mergeRanges(p.networks ?? []));
  }
  return out;
}

export interface Prepared {
  endpoints: Array<Extract<Endpoint, { type: "workload" }>>;
  policies: Record<Direction, SubjectPolicies[]>;
  /** External ranges as the source of ingress, and as the destination of egress. */
  atoms: Record<Direction, IpRange[]>;
}

export function prepare(inv: Inventory): Prepared {
  const nsLabels = new Map<string, Labels>(inv.namespaces.map((n) => [n.name, n.labels]));
  const endpoints = inv.workloads.map((w) => ({ type: "workload" as const, workload: w, nsLabels: nsLabels.get(w.namespace) ?? { "kubernetes.io/metadata.name": w.namespace } }));
  // Lower priority numbers first; the spec leaves equal priorities undefined, so ties
  // go by name to keep the answer deterministic.
  const anps = [...inv.adminPolicies].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
  const forDir = (dir: Direction) =>
    endpoints.map(({ workload: w, nsLabels: l }) => ({
      anps: anps.filter((p) => subjectMatches(p.subject, w, l)),
      nps: inv.networkPolicies.filter((np) => selectsByNp(np, w) && (dir === "ingress" ? np.ingressIsolates : np.egressIsolates)),
      banps: inv.baselinePolicies.filter((p) => subjectMatches(p.subject, w, l)),
    }));
  return { endpoints, policies: { ingress: forDir("ingress"), egress: forDir("egress") }, atoms: { ingress: atomsOf(mentionedRanges(inv, "ingress")), egress: atomsOf(mentionedRanges(inv, "egress")) } };
}

/** Allowed connections from workload i to workload j (indexes into inv.workloads), evaluated directly. */
export function between(p: Prepared, i: number, j: number, explain = false): PairResult {
  const src = p.endpoints[i];
  const dst = p.endpoints[j];
  const egress = decide("egress", src.workload, dst, p.policies.egress[i], explain);
  const ingress = decide("ingress", dst.workload, src, p.policies.ingress[j], explain);
  return { src: workloadName(src.workload), dst: workloadName(dst.workload), conns: egress.allowed.intersect(ingress.allowed), ...(explain ? { egress, ingress } : {}) };
}

export function analyze(inv: Inventory, options: { explain?: boolean } = {}): Analysis {
  const explain = options.explain ?? false;
  const p = prepare(inv);
  const d = new Decider(p, explain);
  const names = p.endpoints.map((e) => workloadName(e.workload));
  const pairs: PairResult[] = [];
  const keep = (r: PairResult) => {
    if (explain || !r.conns.isEmpty()) pairs.push(r);
  };
  // Few distinct verdicts meet many times: intersect each meeting once.
  const met = new Map<Verdict, Map<Verdict, ConnSet>>();
  const both = (egress: Verdict, ingress: Verdict) => {
    let row = met.get(egress);
    if (!row) met.set(egress, (row = new Map()));
    let c = row.get(ingress);
    if (!c) row.set(ingress, (c = egress.allowed.intersect(ingress.allowed)));
    return c;
  };
  p.endpoints.forEach((_, i) => {
    // Pods of one workload share labels and policies: the workload is one peer and
    // traffic within it is not a pair.
    p.endpoints.forEach((__, j) => {
      if (i === j) return;
      const egress = d.verdict("egress", i, j);
      const ingress = d.verdict("ingress", j, i);
      const conns = both(egress, ingress);
      if (explain || !conns.isEmpty()) pairs.push({ src: names[i], dst: names[j], conns, ...(explain ? { egress, ingress } : {}) });
    });
    for (const [a, range] of p.atoms.egress.entries()) {
      const egress = d.verdict("egress", i, d.outside(a));
      keep({ src: names[i], dst: externalName(range), conns: egress.allowed, ...(explain ? { egress } : {}) });
    }
  });
  for (const [a, range] of p.atoms.ingress.entries()) {
    p.endpoints.forEach((_, j) => {
      const ingress = d.verdict("ingress", j, d.outside(a));
      keep({ src: externalName(range), dst: names[j], conns: ingress.allowed, ...(explain ? { ingress } : {}) });
    });
  }
  // netpol-analyzer sorts its lines as plain strings; sorting by "src => dst" does the same.
  const keyed = pairs.map((r) => ({ key: `${r.src} => ${r.dst}`, r }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const peers = [...p.endpoints.map((e) => workloadName(e.workload)), ...new Set([...p.atoms.ingress, ...p.atoms.egress].map(externalName))];
  return { peers, pairs: keyed.map((k) => k.r) };
}
