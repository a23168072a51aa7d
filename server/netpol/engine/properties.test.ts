// Properties over seeded random inventories: a failure names its seed and replays.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { between, externalName, prepare, workloadName } from "./analyze";
import { ConnSet } from "./conn-set";
import { format } from "./format";
import { analyze, parseManifests } from "./index";
import { parseCidr, type IpRange } from "./ip-ranges";
import { adminPorts, adminSubject, labelSelector, npRule, randomInventory } from "./random-inventory";
import { matches } from "./selectors";
import { anp, inventory, seeded } from "./test-helpers";
import { decide } from "./tiers";
import { selector } from "./parse-policies";
import type { Inventory } from "./types";

const SEEDS = Array.from({ length: 60 }, (_, i) => 1000 + i);
let topDenyChecked = 0;
const PROBES: IpRange[] = ["10.0.0.1", "10.1.0.1", "10.1.2.3", "10.200.0.1", "172.16.5.5", "192.168.1.1", "8.8.8.8"].map((a) => parseCidr(`${a}/32`));

/** Every connection of every pair, addresses outside the cluster probed at fixed points. */
function matrix(inv: Inventory): Map<string, ConnSet> {
  const p = prepare(inv);
  const m = new Map<string, ConnSet>();
  p.endpoints.forEach((src, i) => {
    p.endpoints.forEach((dst, j) => i !== j && m.set(`${i}>${j}`, between(p, i, j).conns));
    for (const [k, range] of PROBES.entries()) {
      m.set(`${i}>ip${k}`, decide("egress", src.workload, { type: "external", range }, p.policies.egress[i], false).allowed);
      m.set(`ip${k}>${i}`, decide("ingress", src.workload, { type: "external", range }, p.policies.ingress[i], false).allowed);
    }
  });
  return m;
}

describe("engine properties", () => {
  it.each(SEEDS)("adding an allow rule to a NetworkPolicy never removes a connection (seed %i)", (seed) => {
    const objects = randomInventory(seed, { admin: seed % 2 === 0 });
    const r = seeded(seed * 7);
    const at = r.pick(objects.flatMap((o, i) => (o.kind === "NetworkPolicy" ? [i] : [])));
    const target = structuredClone(objects[at]) as { spec: { policyTypes: string[]; ingress?: unknown[]; egress?: unknown[] } };
    // Into a direction the policy already isolates: a new direction would isolate more pods.
    const dir = r.pick(target.spec.policyTypes) === "Ingress" ? "ingress" : "egress";
    target.spec[dir] = [...(target.spec[dir] ?? []), npRule(r, dir === "ingress" ? "from" : "to")];
    const before = matrix(inventory(objects));
    const after = matrix(inventory(objects.map((o, i) => (i === at ? target : o))));
    for (const [key, conns] of before) expect(conns.subtract(after.get(key)!).toString(), `seed ${seed}, pair ${key}`).toBe("No Connections");
  });

  it.each(SEEDS)("a Deny ANP at the top priority always wins for what it selects (seed %i)", (seed) => {
    const objects = randomInventory(seed, { admin: true });
    const r = seeded(seed * 13);
    const rawSubject = adminSubject(r);
    const rawPeer = labelSelector(r, { env: ["prod", "dev"], team: ["t1", "t2"] });
    const subject = rawSubject.namespaces ? { namespaces: selector(rawSubject.namespaces, "subject") } : { pods: podsOf(rawSubject.pods) };
    const peerNs = selector(rawPeer, "peer");
    const ports = adminPorts(r);
    const dir = r.pick(["ingress", "egress"] as const);
    const top = anp("top-deny", {
      priority: 0,
      subject: rawSubject,
      [dir]: [{ action: "Deny", [dir === "ingress" ? "from" : "to"]: [{ namespaces: rawPeer }], ...(ports ? { ports } : {}) }],
    });
    const inv = inventory([...objects, top]);
    const denied = ports ? ports.map((p) => portSet(p)).reduce((a, b) => a.union(b)) : ConnSet.all;
    const nsLabels = new Map(inv.namespaces.map((n) => [n.name, n.labels]));
    const p = prepare(inv);
    const selected = (i: number) => {
      const w = inv.workloads[i];
      const l = nsLabels.get(w.namespace)!;
      return subject.namespaces ? matches(subject.namespaces, l) : matches(subject.pods.namespaceSelector, l) && matches(subject.pods.podSelector, w.labels);
    };
    const inPeer = (i: number) => matches(peerNs, nsLabels.get(inv.workloads[i].namespace)!);
    let checked = 0;
    inv.workloads.forEach((_, i) =>
      inv.workloads.forEach((__, j) => {
        if (i === j) return;
        const [subj, peer] = dir === "egress" ? [i, j] : [j, i];
        if (!selected(subj) || !inPeer(peer)) return;
        checked++;
        expect(between(p, i, j).conns.intersect(denied).toString(), `seed ${seed}, ${i} -> ${j}`).toBe("No Connections");
      }),
    );
    topDenyChecked += checked;
  });

  it("the top-priority Deny property above checked many pairs", () => {
    // Guards it against a generator whose subjects and peers never match anything.
    expect(topDenyChecked).toBeGreaterThan(SEEDS.length * 3);
  });

  it.each(SEEDS)("the report reuses verdicts only where direct evaluation agrees (seed %i)", (seed) => {
    const inv = inventory(randomInventory(seed, { admin: true }));
    const p = prepare(inv);
    const direct = new Map<string, string>();
    const explained = (v: { reasons: { tier: string; verdict: string; conns: ConnSet; by: string[] }[] } | undefined) =>
      v?.reasons.map((r) => `${r.tier} ${r.verdict} ${r.conns} ${r.by.join(";")}`).join(" | ");
    inv.workloads.forEach((w, i) => {
      inv.workloads.forEach((_, j) => {
        if (i === j) return;
        const r = between(p, i, j, true);
        direct.set(`${r.src} => ${r.dst}`, `${r.conns} / ${explained(r.egress)} / ${explained(r.ingress)}`);
      });
      for (const range of p.atoms.egress) {
        const e = decide("egress", w, { type: "external", range }, p.policies.egress[i], true);
        direct.set(`${workloadName(w)} => ${externalName(range)}`, `${e.allowed} / ${explained(e)} / ${explained(undefined)}`);
      }
      for (const range of p.atoms.ingress) {
        const e = decide("ingress", w, { type: "external", range }, p.policies.ingress[i], true);
        direct.set(`${externalName(range)} => ${workloadName(w)}`, `${e.allowed} / ${explained(undefined)} / ${explained(e)}`);
      }
    });
    const memoized = new Map(
      analyze(inv, { explain: true }).pairs.map((r) => [`${r.src} => ${r.dst}`, `${r.conns} / ${explained(r.egress)} / ${explained(r.ingress)}`]),
    );
    expect(memoized).toEqual(direct);
  });

  it.each(SEEDS.slice(0, 30))("the report does not depend on the order of manifests or files (seed %i)", (seed) => {
    const docs = randomInventory(seed, { admin: true }).map((o) => stringify(o));
    const r = seeded(seed * 31);
    const shuffled = [...docs];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const files = (ds: string[], n: number) =>
      Array.from({ length: n }, (_, k) => ({ path: `f${(k * 7919) % 101}.yaml`, text: ds.filter((_, i) => i % n === k).join("---\n") }));
    const report = (fs: { path: string; text: string }[]) => {
      const { inventory: inv, warnings } = parseManifests(fs);
      return [format(analyze(inv, { explain: true }), "txt", true), warnings.filter((w) => !w.includes("share priority")).join("\n")].join("\n");
    };
    expect(report(files(shuffled, 3))).toBe(report(files(docs, 1)));
  });
});

function portSet(p: Record<string, unknown>): ConnSet {
  const n = p.portNumber as { protocol?: "TCP" | "UDP" | "SCTP"; port: number } | undefined;
  if (n) return ConnSet.ports(n.protocol ?? "TCP", n.port);
  const range = p.portRange as { protocol?: "TCP" | "UDP" | "SCTP"; start: number; end: number };
  return ConnSet.ports(range.protocol ?? "TCP", range.start, range.end);
}

function podsOf(raw: unknown) {
  const p = raw as { namespaceSelector: unknown; podSelector: unknown };
  return { namespaceSelector: selector(p.namespaceSelector, "ns"), podSelector: selector(p.podSelector, "pod") };
}
