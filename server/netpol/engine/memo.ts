// Reuses verdicts between peers that every relevant rule treats alike, so a report
// over thousands of workloads does not evaluate every pair from scratch. Exact by
// construction (see ruleMatchers); checked against direct evaluation in the tests.
//
// Peers of a direction are numbered: workloads first, then that direction's outside
// ranges. Subjects consulting the same rules share one partition of the peers into
// classes (peers every one of those rules matches alike); each subject then decides
// once per class.
import type { Prepared } from "./analyze";
import { decide, ruleMatchers, type Direction, type Endpoint, type RuleMatcher, type Verdict } from "./tiers";

interface Partition {
  classOf: Int32Array;
  classes: number;
}

export class Decider {
  private readonly peers: Record<Direction, Endpoint[]>;
  private readonly ruleIds = new Map<object, number>();
  private readonly rows = new Map<object, Uint8Array>();
  private readonly partitions = new Map<string, Partition>();
  private readonly subjects: Record<Direction, Array<{ partition: Partition; verdicts: Array<Verdict | undefined> } | undefined>> = { ingress: [], egress: [] };

  constructor(
    private readonly p: Prepared,
    private readonly explain: boolean,
  ) {
    const outside = (dir: Direction) => p.atoms[dir].map((range): Endpoint => ({ type: "external", range }));
    this.peers = { ingress: [...p.endpoints, ...outside("ingress")], egress: [...p.endpoints, ...outside("egress")] };
  }

  /** Index of the a-th outside range of a direction among its peers. */
  outside(a: number): number {
    return this.p.endpoints.length + a;
  }

  private row(dir: Direction, m: RuleMatcher): Uint8Array {
    let r = this.rows.get(m.rule);
    if (!r) {
      r = Uint8Array.from(this.peers[dir], (e) => (m.matches(e) ? 1 : 0));
      this.rows.set(m.rule, r);
    }
    return r;
  }

  private partition(dir: Direction, matchers: RuleMatcher[], namedPorts: boolean): Partition {
    const ids = matchers.map((m) => {
      if (!this.ruleIds.has(m.rule)) this.ruleIds.set(m.rule, this.ruleIds.size);
      return this.ruleIds.get(m.rule)!;
    });
    // Named ports resolve on the destination, which for egress is the peer.
    const byPorts = namedPorts && dir === "egress";
    const key = `${dir}:${byPorts ? "p" : ""}:${ids.join(",")}`;
    let part = this.partitions.get(key);
    if (part) return part;
    const n = this.peers[dir].length;
    let classOf = new Int32Array(n);
    let classes = 1;
    // Split every class by one more feature (a small integer per peer): class c with
    // feature f becomes the class numbered for (c, f) on first sight.
    const refine = (feature: (j: number) => number, values: number) => {
      const renumber = new Int32Array(classes * values).fill(-1);
      const next = new Int32Array(n);
      let count = 0;
      for (let j = 0; j < n; j++) {
        const k = classOf[j] * values + feature(j);
        if (renumber[k] < 0) renumber[k] = count++;
        next[j] = renumber[k];
      }
      classOf = next;
      classes = count;
    };
    for (const m of matchers) {
      const r = this.row(dir, m);
      refine((j) => r[j], 2);
    }
    if (byPorts) {
      const ids = this.portIds();
      refine((j) => ids.of[j], ids.count);
    }
    part = { classOf, classes };
    this.partitions.set(key, part);
    return part;
  }

  private ports?: { of: Int32Array; count: number };

  /** Each egress peer's container ports as a small integer (equal ports, equal number; 0 outside the cluster). */
  private portIds() {
    if (!this.ports) {
      const ids = new Map<string, number>([["outside", 0]]);
      const of = Int32Array.from(this.peers.egress, (e) => {
        const key = e.type === "workload" ? JSON.stringify(e.workload.ports) : "outside";
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size));
        return id;
      });
      this.ports = { of, count: ids.size };
    }
    return this.ports;
  }

  /** Subject i's verdict in `dir` with peer number `peer` (a workload index, or outside(a)). */
  verdict(dir: Direction, i: number, peer: number): Verdict {
    let s = this.subjects[dir][i];
    if (!s) {
      const { matchers, namedPorts } = ruleMatchers(dir, this.p.policies[dir][i]);
      const partition = this.partition(dir, matchers, namedPorts);
      s = { partition, verdicts: new Array(partition.classes) };
      this.subjects[dir][i] = s;
    }
    const c = s.partition.classOf[peer];
    let v = s.verdicts[c];
    if (!v) {
      v = decide(dir, this.p.endpoints[i].workload, this.peers[dir][peer], this.p.policies[dir][i], this.explain);
      s.verdicts[c] = v;
    }
    return v;
  }
}
