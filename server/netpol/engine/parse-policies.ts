// NetworkPolicy (networking.k8s.io/v1) and AdminNetworkPolicy /
// BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1, network-policy-api
// v0.1.8, standard and experimental channels) into the engine's types. An object the
// API server would reject is refused here with the field and the rule, never guessed at.
import { MAX_PORT, MIN_PORT, PROTOCOLS, type Protocol } from "./conn-set";
import { parseCidr, rangeContains, type IpRange } from "./ip-ranges";
import type { AdminPolicy, AnpAction, AnpPeer, AnpRule, AnpSubject, NetworkPolicy, NpPeer, NpRule, PortSpec, Requirement, Selector } from "./types";

export class FieldError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function object(v: unknown, path: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new FieldError(`${path}: must be an object`);
  return v;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`${path}: must be a list`);
  return v;
}

function onlyKeys(o: Obj, allowed: string[], path: string) {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) throw new FieldError(`${path}: unknown field ${extra.map((k) => `"${k}"`).join(", ")} (this schema version has ${allowed.join(", ")})`);
}

function stringMap(v: unknown, path: string): Record<string, string> {
  const o = object(v, path) ?? {};
  for (const [k, val] of Object.entries(o)) if (typeof val !== "string") throw new FieldError(`${path}.${k}: must be a string`);
  return o as Record<string, string>;
}

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

export function selector(v: unknown, path: string): Selector {
  const o = object(v, path) ?? {};
  onlyKeys(o, ["matchLabels", "matchExpressions"], path);
  const matchExpressions = list(o.matchExpressions, `${path}.matchExpressions`).map((e, i): Requirement => {
    const p = `${path}.matchExpressions[${i}]`;
    const r = object(e, p) ?? {};
    if (typeof r.key !== "string" || !r.key) throw new FieldError(`${p}.key: required`);
    if (!OPERATORS.includes(r.operator as Requirement["operator"])) throw new FieldError(`${p}.operator: must be one of ${OPERATORS.join(", ")}`);
    const op = r.operator as Requirement["operator"];
    const values = list(r.values, `${p}.values`).map(String);
    if ((op === "In" || op === "NotIn") && values.length === 0) throw new FieldError(`${p}.values: must be non-empty for ${op}`);
    if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) throw new FieldError(`${p}.values: must be empty for ${op}`);
    return { key: r.key, operator: op, values };
  });
  return { matchLabels: stringMap(o.matchLabels, `${path}.matchLabels`), matchExpressions };
}

function protocol(v: unknown, path: string): Protocol {
  if (v === undefined || v === null) return "TCP"; // the default in both APIs
  if (!PROTOCOLS.includes(v as Protocol)) throw new FieldError(`${path}: must be one of ${PROTOCOLS.join(", ")}`);
  return v as Protocol;
}

function portNumber(v: unknown, path: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT)
    throw new FieldError(`${path}: must be a port number ${MIN_PORT}-${MAX_PORT}`);
  return v;
}

// A named port is an IANA service name: at most 15 characters, lower-case letters,
// digits and '-', at least one letter.
function portName(v: string, path: string): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(v) || !/[a-z]/.test(v) || v.includes("--")) throw new FieldError(`${path}: "${v}" is not a valid port name`);
  return v;
}

function ipBlock(v: Obj, path: string): NonNullable<NpPeer["ipBlock"]> {
  onlyKeys(v, ["cidr", "except"], path);
  if (typeof v.cidr !== "string") throw new FieldError(`${path}.cidr: required`);
  const cidr = cidrAt(v.cidr, `${path}.cidr`);
  const except = list(v.except, `${path}.except`).map((e, i) => {
    const r = cidrAt(String(e), `${path}.except[${i}]`);
    if (!rangeContains(cidr, r) || (r.lo === cidr.lo && r.hi === cidr.hi)) throw new FieldError(`${path}.except[${i}]: must be strictly within cidr ${v.cidr}`);
    return r;
  });
  return { cidr, except, text: except.length ? `${v.cidr} except ${(v.except as string[]).join(",")}` : String(v.cidr) };
}

function cidrAt(text: string, path: string): IpRange {
  try {
    return parseCidr(text);
  } catch (e) {
    throw new FieldError(`${path}: ${(e as Error).message}`);
  }
}

function npPorts(v: unknown, path: string): PortSpec[] | undefined {
  const items = list(v, path);
  if (items.length === 0) return undefined; // empty or absent: all ports
  return items.map((item, i) => {
    const p = `${path}[${i}]`;
    const o = object(item, p) ?? {};
    onlyKeys(o, ["protocol", "port", "endPort"], p);
    const proto = protocol(o.protocol, `${p}.protocol`);
    if (o.port === undefined || o.port === null) {
      if (o.endPort !== undefined) throw new FieldError(`${p}.endPort: needs a numeric port`);
      return { protocol: proto, lo: MIN_PORT, hi: MAX_PORT };
    }
    if (typeof o.port === "string") {
      if (o.endPort !== undefined) throw new FieldError(`${p}.endPort: not allowed with a named port`);
      return { protocol: proto, named: portName(o.port, `${p}.port`) };
    }
    const lo = portNumber(o.port, `${p}.port`);
    const hi = o.endPort === undefined || o.endPort === null ? lo : portNumber(o.endPort, `${p}.endPort`);
    if (hi < lo) throw new FieldError(`${p}.endPort: must be greater than or equal to port`);
    return { protocol: proto, lo, hi };
  });
}

function npPeers(v: unknown, path: string): NpPeer[] | undefined {
  const items = list(v, path);
  if (items.length === 0) return undefined; // empty or absent: every source / destination
  return items.map((item, i) => {
    const p = `${path}[${i}]`;
    const o = object(item, p) ?? {};
    onlyKeys(o, ["podSelector", "namespaceSelector", "ipBlock"], p);
    if (o.ipBlock !== undefined && o.ipBlock !== null) {
      if (o.podSelector != null || o.namespaceSelector != null) throw new FieldError(`${p}: ipBlock may not be combined with podSelector or namespaceSelector`);
      return { ipBlock: ipBlock(object(o.ipBlock, `${p}.ipBlock`)!, `${p}.ipBlock`) };
    }
    if (o.podSelector == null && o.namespaceSelector == null) throw new FieldError(`${p}: must set podSelector, namespaceSelector or ipBlock`);
    return {
      podSelector: o.podSelector == null ? undefined : selector(o.podSelector, `${p}.podSelector`),
      namespaceSelector: o.namespaceSelector == null ? undefined : selector(o.namespaceSelector, `${p}.namespaceSelector`),
    };
  });
}

export function networkPolicy(raw: Obj, namespace: string, name: string): NetworkPolicy {
  const spec = object(raw.spec, "spec") ?? {};
  onlyKeys(spec, ["podSelector", "policyTypes", "ingress", "egress"], "spec");
  const rules = (dir: "ingress" | "egress", peersKey: "from" | "to"): NpRule[] =>
    list(spec[dir], `spec.${dir}`).map((r, i) => {
      const o = object(r, `spec.${dir}[${i}]`) ?? {};
      onlyKeys(o, [peersKey, "ports"], `spec.${dir}[${i}]`);
      return { index: i, peers: npPeers(o[peersKey], `spec.${dir}[${i}].${peersKey}`), ports: npPorts(o.ports, `spec.${dir}[${i}].ports`) };
    });
  const ingress = rules("ingress", "from");
  const egress = rules("egress", "to");
  let types: string[];
  if (spec.policyTypes === undefined || spec.policyTypes === null) {
    // "If this field is not specified, it will default based on the existence of
    // ingress or egress rules": Ingress always, Egress when there are egress rules.
    types = egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  } else {
    types = list(spec.policyTypes, "spec.policyTypes").map(String);
    const bad = types.find((t) => t !== "Ingress" && t !== "Egress");
    if (bad) throw new FieldError(`spec.policyTypes: "${bad}" must be Ingress or Egress`);
  }
  return {
    kind: "NetworkPolicy",
    namespace,
    name,
    podSelector: selector(spec.podSelector, "spec.podSelector"),
    ingressIsolates: types.includes("Ingress"),
    egressIsolates: types.includes("Egress"),
    // A direction not in policyTypes is not affected by this policy at all.
    ingress: types.includes("Ingress") ? ingress : [],
    egress: types.includes("Egress") ? egress : [],
  };
}

function anpPorts(v: unknown, path: string): PortSpec[] | undefined {
  if (v === undefined || v === null) return undefined; // absent: every port
  return list(v, path).map((item, i) => {
    const p = `${path}[${i}]`;
    const o = object(item, p) ?? {};
    onlyKeys(o, ["portNumber", "portRange", "namedPort"], p);
    const set = ["portNumber", "portRange", "namedPort"].filter((k) => o[k] !== undefined && o[k] !== null);
    if (set.length !== 1) throw new FieldError(`${p}: exactly one of portNumber, portRange, namedPort must be set`);
    if (typeof o.namedPort === "string") return { protocol: null, named: portName(o.namedPort, `${p}.namedPort`) };
    if (o.portNumber != null) {
      const n = object(o.portNumber, `${p}.portNumber`)!;
      const port = portNumber(n.port, `${p}.portNumber.port`);
      return { protocol: protocol(n.protocol, `${p}.portNumber.protocol`), lo: port, hi: port };
    }
    const r = object(o.portRange, `${p}.portRange`)!;
    const lo = portNumber(r.start, `${p}.portRange.start`);
    const hi = portNumber(r.end, `${p}.portRange.end`);
    if (hi <= lo) throw new FieldError(`${p}.portRange.end: must be greater than start`);
    return { protocol: protocol(r.protocol, `${p}.portRange.protocol`), lo, hi };
  });
}

function podsPeer(v: unknown, path: string) {
  const o = object(v, path) ?? {};
  onlyKeys(o, ["namespaceSelector", "podSelector"], path);
  if (o.namespaceSelector == null || o.podSelector == null) throw new FieldError(`${path}: namespaceSelector and podSelector are required`);
  return { namespaceSelector: selector(o.namespaceSelector, `${path}.namespaceSelector`), podSelector: selector(o.podSelector, `${path}.podSelector`) };
}

function anpPeer(v: unknown, path: string, egress: boolean): AnpPeer {
  const o = object(v, path) ?? {};
  const kinds = egress ? ["namespaces", "pods", "nodes", "networks", "domainNames"] : ["namespaces", "pods"];
  onlyKeys(o, kinds, path);
  const set = kinds.filter((k) => o[k] !== undefined && o[k] !== null);
  if (set.length !== 1) throw new FieldError(`${path}: exactly one of ${kinds.join(", ")} must be set`);
  if (set[0] === "domainNames") throw new FieldError(`${path}.domainNames: names resolved by DNS cannot be evaluated offline`);
  if (set[0] === "namespaces") return { namespaces: selector(o.namespaces, `${path}.namespaces`) };
  if (set[0] === "pods") return { pods: podsPeer(o.pods, `${path}.pods`) };
  if (set[0] === "nodes") return { nodes: selector(o.nodes, `${path}.nodes`) };
  const nets = list(o.networks, `${path}.networks`);
  if (nets.length === 0) throw new FieldError(`${path}.networks: must list at least one CIDR`);
  return { networks: nets.map((n, i) => cidrAt(String(n), `${path}.networks[${i}]`)) };
}

const ACTIONS: Record<AdminPolicy["kind"], AnpAction[]> = { AdminNetworkPolicy: ["Allow", "Deny", "Pass"], BaselineAdminNetworkPolicy: ["Allow", "Deny"] };

export function adminPolicy(raw: Obj, kind: AdminPolicy["kind"], name: string): AdminPolicy {
  const spec = object(raw.spec, "spec") ?? {};
  onlyKeys(spec, kind === "AdminNetworkPolicy" ? ["priority", "subject", "ingress", "egress"] : ["subject", "ingress", "egress"], "spec");
  let priority = 0;
  if (kind === "AdminNetworkPolicy") {
    if (typeof spec.priority !== "number" || !Number.isInteger(spec.priority) || spec.priority < 0 || spec.priority > 1000)
      throw new FieldError("spec.priority: required, a whole number 0-1000");
    priority = spec.priority;
  }
  const s = object(spec.subject, "spec.subject");
  if (!s) throw new FieldError("spec.subject: required");
  onlyKeys(s, ["namespaces", "pods"], "spec.subject");
  if ((s.namespaces == null) === (s.pods == null)) throw new FieldError("spec.subject: exactly one of namespaces, pods must be set");
  const subject: AnpSubject =
    s.namespaces != null ? { namespaces: selector(s.namespaces, "spec.subject.namespaces") } : { pods: podsPeer(s.pods, "spec.subject.pods") };
  const rules = (dir: "ingress" | "egress", peersKey: "from" | "to"): AnpRule[] => {
    const items = list(spec[dir], `spec.${dir}`);
    if (items.length > 100) throw new FieldError(`spec.${dir}: at most 100 rules`);
    return items.map((r, i) => {
      const p = `spec.${dir}[${i}]`;
      const o = object(r, p) ?? {};
      onlyKeys(o, ["name", "action", peersKey, "ports"], p);
      if (!ACTIONS[kind].includes(o.action as AnpAction)) throw new FieldError(`${p}.action: must be one of ${ACTIONS[kind].join(", ")}`);
      const peers = list(o[peersKey], `${p}.${peersKey}`);
      if (peers.length === 0) throw new FieldError(`${p}.${peersKey}: must list at least one peer`);
      return {
        index: i,
        name: typeof o.name === "string" ? o.name : undefined,
        action: o.action as AnpAction,
        peers: peers.map((x, j) => anpPeer(x, `${p}.${peersKey}[${j}]`, dir === "egress")),
        ports: anpPorts(o.ports, `${p}.ports`),
      };
    });
  };
  return { kind, name, priority, subject, ingress: rules("ingress", "from"), egress: rules("egress", "to") };
}
