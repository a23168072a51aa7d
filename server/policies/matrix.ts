// The reachability matrix without an object per cell: every cell's decision, held as an
// index into the few distinct decisions, so a 1,000-endpoint matrix (~1M cells) costs
// evaluations per equivalence class, not per cell. Exact: the same decisions as
// Evaluator.decide for every cell (checked in matrix.test.ts).
//
// Per cluster, the engine's Decider (netpol/engine/memo.ts) evaluates each endpoint once per
// class of peers that every relevant rule treats alike: the other endpoints of its
// cluster, and the shares of the clusters its traffic crosses the slice to or from.
// Verdicts that say the same at this port (allowed or not, the same deciding rules) are
// one; a cell is then the pair (source's egress, destination's ingress) within its
// route, and each distinct pair is combined once.
import type { Prepared } from "../netpol/engine/analyze";
import type { Protocol } from "../netpol/engine/conn-set";
import type { IpRange } from "../netpol/engine/ip-ranges";
import { Decider } from "../netpol/engine/memo";
import type { Direction, Verdict } from "../netpol/engine/tiers";
import {
  combine,
  noPath,
  nsLabels,
  reasonsFor,
  subjectPolicies,
  type ConnectionRef,
  type Decision,
  type EnforcedCluster,
  type Evaluator,
} from "./reachability";

/** No decision: a cell from an endpoint to itself. */
export const NO_CELL = 0xffffffff;

export interface CompactMatrix {
  refs: ConnectionRef[];
  /** The distinct decisions. */
  decisions: Decision[];
  /** cells[i * refs.length + j]: the index in `decisions` of the cell from refs[i] to refs[j]. */
  cells: Uint32Array;
}

export const cellAt = (m: CompactMatrix, i: number, j: number): Decision | null => {
  const k = m.cells[i * m.refs.length + j]!;
  return k === NO_CELL ? null : m.decisions[k]!;
};

/** One cluster's endpoints of the matrix, evaluated with the engine's per-class memo. */
class Local {
  readonly members: number[] = [];
  readonly decider: Decider;
  /** Index of a share among the outside peers of a direction, by subnet. */
  readonly atoms: Record<Direction, Map<string, number>> = { egress: new Map(), ingress: new Map() };
  /** Verdicts that decide the same at this port share one id. */
  private readonly ids: Record<Direction, Map<Verdict, number>> = { egress: new Map(), ingress: new Map() };
  private readonly byContent = new Map<string, number>();
  readonly verdicts: Verdict[] = [];

  constructor(
    readonly e: EnforcedCluster,
    members: number[],
    ev: Evaluator,
    refs: ConnectionRef[],
    shares: Record<Direction, Map<string, IpRange>>,
    private readonly protocol: Protocol,
    private readonly port: number,
  ) {
    this.members = members;
    const resolved = members.map((i) => ev.resolve(refs[i]!));
    const policies = resolved.map((r) => (r.policies ??= subjectPolicies(r.e, r.w)));
    const atoms = (dir: Direction) => [...shares[dir]].map(([subnet, range], k) => (this.atoms[dir].set(subnet, k), range));
    const prepared: Prepared = {
      endpoints: resolved.map((r) => ({ type: "workload", workload: r.w, nsLabels: nsLabels(e, r.w.namespace) })),
      policies: { ingress: policies.map((p) => p.ingress[0]!), egress: policies.map((p) => p.egress[0]!) },
      atoms: { egress: atoms("egress"), ingress: atoms("ingress") },
    };
    this.decider = new Decider(prepared, true);
  }

  /** The verdict id of local endpoint a in `dir` with peer number `peer` (see Decider.verdict). */
  id(dir: Direction, a: number, peer: number): number {
    const v = this.decider.verdict(dir, a, peer);
    let id = this.ids[dir].get(v);
    if (id === undefined) {
      const ok = v.allowed.contains(this.protocol, this.port);
      const by = reasonsFor(this.e.cluster.name, v, this.protocol, this.port);
      const key = `${dir}|${ok}|${by.map((b) => `${b.kind}/${b.namespace ?? ""}/${b.name}/${b.rule ?? ""}/${b.verdict}`).join(";")}`;
      id = this.byContent.get(key);
      if (id === undefined) {
        this.byContent.set(key, (id = this.verdicts.length));
        this.verdicts.push(v);
      }
      this.ids[dir].set(v, id);
    }
    return id;
  }
}

/** Every cell's decision from each ref to each other ref, at one protocol and port. */
export function compactMatrix(ev: Evaluator, refs: ConnectionRef[], protocol: Protocol, port: number): CompactMatrix {
  const n = refs.length;
  const cells = new Uint32Array(n * n).fill(NO_CELL);
  const decisions: Decision[] = [];
  const groups = new Map<EnforcedCluster, number[]>();
  refs.forEach((ref, i) => {
    const e = ev.resolve(ref).e;
    groups.set(e, [...(groups.get(e) ?? []), i]);
  });
  const clusters = [...groups.keys()];
  const routes = clusters.map((a) => clusters.map((b) => ev.route(a, b)));
  // The shares each cluster's traffic goes to (egress) and comes from (ingress).
  const shares = clusters.map(() => ({ egress: new Map<string, IpRange>(), ingress: new Map<string, IpRange>() }));
  clusters.forEach((_, a) =>
    clusters.forEach((__, b) => {
      const r = routes[a]![b];
      if (!r?.dstShare || !r.srcShare) return;
      shares[a]!.egress.set(r.dstShare.key, (r.dstShare.endpoint as { range: IpRange }).range);
      shares[b]!.ingress.set(r.srcShare.key, (r.srcShare.endpoint as { range: IpRange }).range);
    }),
  );
  const locals = clusters.map((e, a) => new Local(e, groups.get(e)!, ev, refs, shares[a]!, protocol, port));

  for (let a = 0; a < clusters.length; a++) {
    const src = locals[a]!;
    for (let b = 0; b < clusters.length; b++) {
      const dst = locals[b]!;
      const route = routes[a]![b];
      if (!route) {
        const k = decisions.push(noPath(src.e, dst.e)) - 1;
        for (const i of src.members) for (const j of dst.members) if (i !== j) cells[i * n + j] = k;
        continue;
      }
      // Each distinct (egress, ingress) pair of this route is combined once.
      const combined = new Map<number, number>();
      const decisionOf = (egress: number, ingress: number) => {
        const key = egress * 0x100000 + ingress;
        let k = combined.get(key);
        if (k === undefined) {
          combined.set(key, (k = decisions.length));
          decisions.push(combine(route.src, route.dst, src.verdicts[egress]!, dst.verdicts[ingress]!, protocol, port, route.names, route.via));
        }
        return k;
      };
      if (a === b) {
        src.members.forEach((i, x) =>
          src.members.forEach((j, y) => {
            if (i !== j) cells[i * n + j] = decisionOf(src.id("egress", x, y), src.id("ingress", y, x));
          }),
        );
        continue;
      }
      // Across clusters the peer is the other end's share: one verdict per endpoint.
      const out = src.decider.outside(src.atoms.egress.get(route.dstShare!.key)!);
      const inn = dst.decider.outside(dst.atoms.ingress.get(route.srcShare!.key)!);
      const egress = src.members.map((_, x) => src.id("egress", x, out));
      const ingress = dst.members.map((_, y) => dst.id("ingress", y, inn));
      // The block's few distinct ids numbered 0…, and a dense table of their pairs.
      const local = (ids: number[]) => {
        const seen = new Map<number, number>();
        return { of: Int32Array.from(ids, (id) => (seen.has(id) ? seen.get(id)! : (seen.set(id, seen.size), seen.size - 1))), count: () => seen.size };
      };
      const le = local(egress);
      const li = local(ingress);
      const width = li.count();
      const table = new Int32Array(le.count() * width).fill(-1);
      const dstCols = Int32Array.from(dst.members);
      src.members.forEach((i, x) => {
        const row = le.of[x]! * width;
        const base = i * n;
        for (let y = 0; y < dstCols.length; y++) {
          let k = table[row + li.of[y]!]!;
          if (k < 0) table[row + li.of[y]!] = k = decisionOf(egress[x]!, ingress[y]!);
          cells[base + dstCols[y]!] = k;
        }
      });
    }
  }
  return { refs, decisions, cells };
}
