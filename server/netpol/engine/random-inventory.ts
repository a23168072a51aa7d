// Random but valid inventories for the property tests, from a seed, over a small
// vocabulary so that selectors, named ports and address blocks often collide.
import { anp, banp, deployment, namespace, netpol, seeded } from "./test-helpers";

type Obj = Record<string, unknown>;
export type Rng = ReturnType<typeof seeded>;

const APPS = ["a", "b", "c"];
const CIDRS: Obj[] = [
  { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] },
  { cidr: "192.168.0.0/16" },
  { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] },
  { cidr: "10.1.2.0/24" },
];

export function labelSelector(r: Rng, keys: Record<string, string[]>): Obj {
  const key = r.pick(Object.keys(keys));
  switch (r.int(5)) {
    case 0:
      return {};
    case 1:
      return { matchLabels: { [key]: r.pick(keys[key]) } };
    case 2:
      return { matchExpressions: [{ key, operator: r.pick(["In", "NotIn"]), values: [r.pick(keys[key])] }] };
    case 3:
      return { matchExpressions: [{ key, operator: r.pick(["Exists", "DoesNotExist"]) }] };
    default:
      return { matchLabels: { [key]: r.pick(keys[key]) }, matchExpressions: [{ key: r.pick(Object.keys(keys)), operator: "Exists" }] };
  }
}

const podSel = (r: Rng) => labelSelector(r, { app: APPS, tier: ["x", "y"] });
const nsSel = (r: Rng) => labelSelector(r, { env: ["prod", "dev"], team: ["t1", "t2"] });

function npPeer(r: Rng): Obj {
  switch (r.int(4)) {
    case 0:
      return { podSelector: podSel(r) };
    case 1:
      return { namespaceSelector: nsSel(r) };
    case 2:
      return { podSelector: podSel(r), namespaceSelector: nsSel(r) };
    default:
      return { ipBlock: r.pick(CIDRS) };
  }
}

function npPort(r: Rng): Obj {
  return r.pick<Obj>([
    { port: 80 },
    { protocol: "UDP", port: 53 },
    { port: 8000, endPort: 9000 },
    { port: "http" },
    { protocol: "SCTP" },
    { protocol: "UDP", port: "dns" },
  ]);
}

export function npRule(r: Rng, peersKey: "from" | "to"): Obj {
  const rule: Obj = {};
  if (r.chance(0.8)) rule[peersKey] = Array.from({ length: 1 + r.int(2) }, () => npPeer(r));
  if (r.chance(0.6)) rule.ports = Array.from({ length: 1 + r.int(2) }, () => npPort(r));
  return rule;
}

export function randomNetpol(r: Rng, name: string): Obj {
  const types = r.pick([["Ingress"], ["Egress"], ["Ingress", "Egress"]]);
  return netpol(`n${r.int(3)}`, name, {
    podSelector: podSel(r),
    policyTypes: types,
    ...(types.includes("Ingress") ? { ingress: Array.from({ length: r.int(3) }, () => npRule(r, "from")) } : {}),
    ...(types.includes("Egress") ? { egress: Array.from({ length: r.int(3) }, () => npRule(r, "to")) } : {}),
  });
}

function adminPeer(r: Rng, egress: boolean): Obj {
  const n = r.int(egress ? 3 : 2);
  if (n === 0) return { namespaces: nsSel(r) };
  if (n === 1) return { pods: { namespaceSelector: nsSel(r), podSelector: podSel(r) } };
  return { networks: [r.pick(["10.0.0.0/8", "10.1.0.0/16", "172.16.0.0/12", "0.0.0.0/0"])] };
}

export function adminPorts(r: Rng): Obj[] | undefined {
  if (r.chance(0.4)) return undefined;
  return [
    r.pick<Obj>([
      { portNumber: { port: 80 } },
      { portNumber: { protocol: "UDP", port: 53 } },
      { portRange: { start: 1000, end: 2000 } },
      { portRange: { protocol: "SCTP", start: 1, end: 100 } },
    ]),
  ];
}

function adminRules(r: Rng, dir: "ingress" | "egress", actions: string[]): Obj[] {
  return Array.from({ length: r.int(3) }, () => {
    const ports = adminPorts(r);
    return { action: r.pick(actions), [dir === "ingress" ? "from" : "to"]: [adminPeer(r, dir === "egress")], ...(ports ? { ports } : {}) };
  });
}

export function adminSubject(r: Rng): Obj {
  return r.chance(0.5) ? { namespaces: nsSel(r) } : { pods: { namespaceSelector: nsSel(r), podSelector: podSel(r) } };
}

/** Namespaces, workloads, NetworkPolicies, and optionally ANPs (priorities from 1 up) and a BANP. */
export function randomInventory(seed: number, opts: { admin?: boolean } = {}): Obj[] {
  const r = seeded(seed);
  const out: Obj[] = [];
  for (let i = 0; i < 3; i++) out.push(namespace(`n${i}`, { env: r.pick(["prod", "dev"]), ...(r.chance(0.5) ? { team: r.pick(["t1", "t2"]) } : {}) }));
  for (let i = 0; i < 6; i++) {
    const ports = [{ name: "http", containerPort: r.pick([80, 8080, 8443]) }, ...(r.chance(0.5) ? [{ name: "dns", containerPort: 53, protocol: "UDP" }] : [])];
    out.push(deployment(`n${r.int(3)}`, `w${i}`, { app: r.pick(APPS), ...(r.chance(0.5) ? { tier: r.pick(["x", "y"]) } : {}) }, ports));
  }
  for (let i = 0; i < 1 + r.int(5); i++) out.push(randomNetpol(r, `np${i}`));
  if (opts.admin) {
    const priorities = [...new Set(Array.from({ length: 3 }, () => 1 + r.int(50)))];
    for (const [i, priority] of priorities.entries()) {
      out.push(
        anp(`anp${i}`, {
          priority,
          subject: adminSubject(r),
          ingress: adminRules(r, "ingress", ["Allow", "Deny", "Pass"]),
          egress: adminRules(r, "egress", ["Allow", "Deny", "Pass"]),
        }),
      );
    }
    if (r.chance(0.7))
      out.push(banp({ subject: adminSubject(r), ingress: adminRules(r, "ingress", ["Allow", "Deny"]), egress: adminRules(r, "egress", ["Allow", "Deny"]) }));
  }
  return out;
}
