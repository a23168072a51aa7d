// Every ordered pair of peers and the connections allowed between them. A connection
// is allowed when the source's egress and the destination's ingress both allow it;
// an address outside the cluster has no policies of its own, so only the
// in-cluster end decides.
import { ConnSet } from "./conn-set";
import { atomsOf, formatRange, mergeRanges, subtractRanges, type IpRange } from "./ip-ranges";
import { Decider } from "./memo";
import { decide, selectsByNp, subjectMatches, type Direction, type Endpoint, type SubjectPolicies, type Verdict } from "./tiers";
import type { Inventory, Labels, NetworkPolicy, Workload } from "./types";

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
  const endpoints = inv.workloads.map((w) => ({
    type: "workload" as const,
    workload: w,
    nsLabels: nsLabels.get(w.namespace) ?? { "kubernetes.io/metadata.name": w.namespace },
  }));
  // Lower priority numbers first; the spec leaves equal priorities undefined, so ties
  // go by name to keep the answer deterministic.
  const anps = [...inv.adminPolicies].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
  // A NetworkPolicy selects pods of its own namespace only.
  const npsIn = new Map<string, NetworkPolicy[]>();
  for (const np of inv.networkPolicies) npsIn.set(np.namespace, [...(npsIn.get(np.namespace) ?? []), np]);
  const forDir = (dir: Direction) =>
    endpoints.map(({ workload: w, nsLabels: l }) => ({
      anps: anps.filter((p) => subjectMatches(p.subject, w, l)),
      nps: (npsIn.get(w.namespace) ?? []).filter((np) => selectsByNp(np, w) && (dir === "ingress" ? np.ingressIsolates : np.egressIsolates)),
      banps: inv.baselinePolicies.filter((p) => subjectMatches(p.subject, w, l)),
    }));
  return {
    endpoints,
    policies: { ingress: forDir("ingress"), egress: forDir("egress") },
    atoms: { ingress: atomsOf(mentionedRanges(inv, "ingress")), egress: atomsOf(mentionedRanges(inv, "egress")) },
  };
}

/** Allowed connections from workload i to workload j (indexes into inv.workloads), evaluated directly. */
export function between(p: Prepared, i: number, j: number, explain = false): PairResult {
  const src = p.endpoints[i];
  const dst = p.endpoints[j];
  const egress = decide("egress", src.workload, dst, p.policies.egress[i], explain);
  const ingress = decide("ingress", dst.workload, src, p.policies.ingress[j], explain);
  return {
    src: workloadName(src.workload),
    dst: workloadName(dst.workload),
    conns: egress.allowed.intersect(ingress.allowed),
    ...(explain ? { egress, ingress } : {}),
  };
}

/**
 * Workloads alike in namespace, pod labels and container ports are alike in every
 * verdict, as subject and as peer (policies select by namespace and labels, named ports
 * resolve on ports): each class is analysed once, through one representative.
 */
function workloadClasses(workloads: readonly Workload[]): { classOf: Int32Array; reps: Workload[] } {
  const classOf = new Int32Array(workloads.length);
  const reps: Workload[] = [];
  const byShape = new Map<string, number>();
  workloads.forEach((w, i) => {
    const key = JSON.stringify([w.namespace, Object.entries(w.labels).sort(), w.ports]);
    let c = byShape.get(key);
    if (c === undefined) {
      byShape.set(key, (c = reps.length));
      reps.push(w);
    }
    classOf[i] = c;
  });
  return { classOf, reps };
}

export function analyze(inv: Inventory, options: { explain?: boolean } = {}): Analysis {
  const explain = options.explain ?? false;
  const { classOf, reps } = workloadClasses(inv.workloads);
  const p = prepare({ ...inv, workloads: reps });
  const d = new Decider(p, explain);
  const C = reps.length;
  const n = inv.workloads.length;
  const names = inv.workloads.map(workloadName);
  // Few distinct verdicts meet many times: intersect each meeting once.
  const met = new Map<Verdict, Map<Verdict, ConnSet>>();
  const both = (egress: Verdict, ingress: Verdict) => {
    let row = met.get(egress);
    if (!row) met.set(egress, (row = new Map()));
    let c = row.get(ingress);
    if (!c) row.set(ingress, (c = egress.allowed.intersect(ingress.allowed)));
    return c;
  };
  // Class a to class b: the egress of a, the ingress of b, what both allow.
  // (The verdicts themselves are kept only to explain them.)
  const egressOf: Verdict[] = explain ? new Array(C * C) : [];
  const ingressOf: Verdict[] = explain ? new Array(C * C) : [];
  const connsOf: ConnSet[] = new Array(C * C);
  for (let a = 0; a < C; a++) {
    for (let b = 0; b < C; b++) {
      const egress = d.verdict("egress", a, b);
      const ingress = d.verdict("ingress", b, a);
      if (explain) {
        egressOf[a * C + b] = egress;
        ingressOf[a * C + b] = ingress;
      }
      connsOf[a * C + b] = both(egress, ingress);
    }
  }
  const toOutside = p.atoms.egress.map((_, k) => Array.from({ length: C }, (__, a) => d.verdict("egress", a, d.outside(k))));
  const fromOutside = p.atoms.ingress.map((_, k) => Array.from({ length: C }, (__, b) => d.verdict("ingress", b, d.outside(k))));

  const egressNames = p.atoms.egress.map(externalName);
  const ingressNames = p.atoms.ingress.map(externalName);
  const pair = (i: number, j: number): PairResult => {
    const k = classOf[i] * C + classOf[j];
    return explain
      ? { src: names[i], dst: names[j], conns: connsOf[k], egress: egressOf[k], ingress: ingressOf[k] }
      : { src: names[i], dst: names[j], conns: connsOf[k] };
  };
  const toAtom = (i: number, k: number): PairResult => {
    const egress = toOutside[k][classOf[i]];
    return explain ? { src: names[i], dst: egressNames[k], conns: egress.allowed, egress } : { src: names[i], dst: egressNames[k], conns: egress.allowed };
  };
  const fromAtom = (k: number, j: number): PairResult => {
    const ingress = fromOutside[k][classOf[j]];
    return explain ? { src: ingressNames[k], dst: names[j], conns: ingress.allowed, ingress } : { src: ingressNames[k], dst: names[j], conns: ingress.allowed };
  };
  const kept = (r: PairResult) => explain || !r.conns.isEmpty();
  const peers = [...names, ...new Set([...p.atoms.ingress, ...p.atoms.egress].map(externalName))];

  // netpol-analyzer sorts its lines as plain strings ("src => dst"). Where no source
  // name is a prefix of another (names end in "]" and hold no other, so only a
  // malformed inventory breaks this), that is the order of sources, then of
  // destinations: lines are written in order, per source, without sorting them all.
  type End = { name: string; workload: number; atom: number };
  const byName = (x: End, y: End) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  const sources: End[] = [
    ...names.map((name, i) => ({ name, workload: i, atom: -1 })),
    ...ingressNames.map((name, k) => ({ name, workload: -1, atom: k })),
  ].sort(byName);
  const prefixFree = sources.every((x, s) => s === 0 || !x.name.startsWith(sources[s - 1].name));
  if (!prefixFree) {
    const pairs: PairResult[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (i !== j && kept(pair(i, j))) pairs.push(pair(i, j));
      p.atoms.egress.forEach((_, k) => kept(toAtom(i, k)) && pairs.push(toAtom(i, k)));
    }
    p.atoms.ingress.forEach((_, k) => names.forEach((__, j) => kept(fromAtom(k, j)) && pairs.push(fromAtom(k, j))));
    const keyed = pairs.map((r) => ({ key: `${r.src} => ${r.dst}`, r }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { peers, pairs: keyed.map((k) => k.r) };
  }

  const destinations: End[] = [
    ...names.map((name, j) => ({ name, workload: j, atom: -1 })),
    ...egressNames.map((name, k) => ({ name, workload: -1, atom: k })),
  ].sort(byName);
  const workloadsByName = destinations.filter((x) => x.workload >= 0).map((x) => x.workload);
  // Per source class, the destinations it reaches (all of them with explain), in order.
  const reached = new Map<number, End[]>();
  const reachedBy = (a: number) => {
    let list = reached.get(a);
    if (!list) {
      list = destinations.filter((x) => explain || !(x.workload >= 0 ? connsOf[a * C + classOf[x.workload]] : toOutside[x.atom][a].allowed).isEmpty());
      reached.set(a, list);
    }
    return list;
  };
  const pairs: PairResult[] = [];
  for (const src of sources) {
    if (src.workload >= 0) {
      const i = src.workload;
      for (const dst of reachedBy(classOf[i])) {
        if (dst.workload === i) continue; // traffic within one workload is not a pair
        pairs.push(dst.workload >= 0 ? pair(i, dst.workload) : toAtom(i, dst.atom));
      }
    } else {
      for (const j of workloadsByName) {
        const r = fromAtom(src.atom, j);
        if (kept(r)) pairs.push(r);
      }
    }
  }
  return { peers, pairs };
}
