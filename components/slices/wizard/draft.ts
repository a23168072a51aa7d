// The wizard's working copy of a slice spec. Inputs hold text (so a half-typed number
// stays on screen); `draftToSpec` turns it into the spec the server validates, leaving
// every judgement (required, ranges, membership) to the server's one schema.
import type { RouterOutputs } from "@/lib/trpc";

import type { DscpClass } from "../../qos-profiles/qos-meta";

export { DSCP_CLASSES, type DscpClass } from "../../qos-profiles/qos-meta";

export type SliceSpec = RouterOutputs["slices"]["get"]["spec"];
type Topology = SliceSpec["topology"];
type GatewayService = SliceSpec["gatewayService"];
export type GatewayChoice = GatewayService["overrides"][string];
export type PortProtocol = SliceSpec["serviceExports"][number]["ports"][number]["protocol"];

export interface NamespaceDraft {
  /** Stable React key: entries are added and removed in the middle. */
  key: number;
  namespace: string;
  /** On every member ("*"), or on the clusters listed. */
  everywhere: boolean;
  clusters: string[];
}

export interface PortDraft {
  key: number;
  name: string;
  port: string;
  protocol: PortProtocol;
}

export interface ServiceExportDraft {
  key: number;
  name: string;
  namespace: string;
  sourceCluster: string;
  ports: PortDraft[];
  /** DNS names, separated by commas or spaces, as typed. */
  aliases: string;
}

/** Best effort, a named tenant profile, or values for this slice alone. */
export type QosMode = "none" | "profile" | "custom";

export interface Draft {
  name: string;
  description: string;
  subnet: string;
  maxClusters: string;
  gatewayType: "OPENVPN" | "WIREGUARD";
  gatewayService: GatewayService;
  members: string[];
  topologyKind: Topology["kind"];
  hubs: string[];
  pairs: Array<[string, string]>;
  qosMode: QosMode;
  qosProfile: string;
  qos: { priority: string; ceiling: string; guaranteed: string; dscpClass: DscpClass };
  isolationEnabled: boolean;
  applicationNamespaces: NamespaceDraft[];
  allowedNamespaces: NamespaceDraft[];
  serviceExports: ServiceExportDraft[];
}

let nextKey = 1;
export const newNamespace = (namespace = ""): NamespaceDraft => ({ key: nextKey++, namespace, everywhere: true, clusters: [] });
export const newPort = (p: Partial<Omit<PortDraft, "key">> = {}): PortDraft => ({ key: nextKey++, name: "", port: "", protocol: "TCP", ...p });
export const newServiceExport = (sourceCluster = ""): ServiceExportDraft => ({
  key: nextKey++,
  name: "",
  namespace: "",
  sourceCluster,
  ports: [newPort()],
  aliases: "",
});

export function emptyDraft(): Draft {
  return {
    name: "",
    description: "",
    subnet: "",
    maxClusters: "16",
    gatewayType: "OPENVPN",
    gatewayService: { type: "NodePort", protocol: "UDP", overrides: {} },
    members: [],
    topologyKind: "FULL_MESH",
    hubs: [],
    pairs: [],
    qosMode: "none",
    qosProfile: "",
    qos: { priority: "1", ceiling: "20480", guaranteed: "10240", dscpClass: "AF11" },
    isolationEnabled: false,
    applicationNamespaces: [],
    allowedNamespaces: [],
    serviceExports: [],
  };
}

function namespacesFrom(list: SliceSpec["namespaceIsolation"]["applicationNamespaces"]): NamespaceDraft[] {
  return list.map((e) => ({ ...newNamespace(e.namespace), everywhere: e.clusters.includes("*"), clusters: e.clusters.filter((c) => c !== "*") }));
}

export function draftFromSpec(spec: SliceSpec): Draft {
  const t = spec.topology;
  return {
    name: spec.name,
    description: spec.description ?? "",
    subnet: spec.subnet,
    maxClusters: String(spec.maxClusters),
    gatewayType: spec.gatewayType,
    gatewayService: spec.gatewayService,
    members: [...spec.members],
    topologyKind: t.kind,
    hubs: t.kind === "HUB_SPOKE" ? [...t.hubs] : [],
    pairs: t.kind === "CUSTOM" ? t.pairs.map(([a, b]) => [a, b] as [string, string]) : [],
    qosMode: spec.qosProfile ? "profile" : spec.qos ? "custom" : "none",
    qosProfile: spec.qosProfile ?? "",
    qos: spec.qos
      ? {
          priority: String(spec.qos.priority),
          ceiling: String(spec.qos.bandwidthCeilingKbps),
          guaranteed: String(spec.qos.bandwidthGuaranteedKbps),
          dscpClass: spec.qos.dscpClass,
        }
      : emptyDraft().qos,
    isolationEnabled: spec.namespaceIsolation.enabled,
    applicationNamespaces: namespacesFrom(spec.namespaceIsolation.applicationNamespaces),
    allowedNamespaces: namespacesFrom(spec.namespaceIsolation.allowedNamespaces),
    serviceExports: spec.serviceExports.map((e) => ({
      key: nextKey++,
      name: e.name,
      namespace: e.namespace,
      sourceCluster: e.sourceCluster,
      ports: e.ports.map((p) => newPort({ name: p.name ?? "", port: String(p.port), protocol: p.protocol })),
      aliases: (e.aliases ?? []).join(", "),
    })),
  };
}

/** A whole number as a number; anything else as typed, so the server names the rule it breaks. */
function num(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

const namespacesTo = (list: NamespaceDraft[]) => list.map((e) => ({ namespace: e.namespace.trim(), clusters: e.everywhere ? ["*"] : e.clusters }));

/** "a.example, b.example c.example" → the names; empty entries dropped. */
export const splitAliases = (text: string) => text.split(/[\s,]+/).filter(Boolean);

const exportsTo = (list: ServiceExportDraft[]) =>
  list.map((e) => {
    const aliases = splitAliases(e.aliases);
    return {
      name: e.name.trim(),
      namespace: e.namespace.trim(),
      sourceCluster: e.sourceCluster,
      ports: e.ports.map((p) => ({ ...(p.name.trim() ? { name: p.name.trim() } : {}), port: num(p.port), protocol: p.protocol })),
      ...(aliases.length ? { aliases } : {}),
    };
  });

// Explicit nulls for the QoS choice not taken: an update then clears what was stored.
function qosTo(d: Draft) {
  if (d.qosMode === "profile") return { qos: null, qosProfile: d.qosProfile };
  if (d.qosMode === "custom") {
    return {
      qos: {
        profile: "HTB",
        priority: num(d.qos.priority),
        bandwidthCeilingKbps: num(d.qos.ceiling),
        bandwidthGuaranteedKbps: num(d.qos.guaranteed),
        dscpClass: d.qos.dscpClass,
      },
      qosProfile: null,
    };
  }
  return { qos: null, qosProfile: null };
}

/** The spec as the server takes it (`slices.create`, `slices.preview`). Typed loosely on purpose: it may be invalid. */
export function draftToSpec(d: Draft): Record<string, unknown> {
  const topology =
    d.topologyKind === "HUB_SPOKE"
      ? { kind: "HUB_SPOKE", hubs: d.hubs }
      : d.topologyKind === "CUSTOM"
        ? { kind: "CUSTOM", pairs: d.pairs }
        : { kind: "FULL_MESH" };
  return {
    name: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    subnet: d.subnet.trim(),
    ...(num(d.maxClusters) !== undefined ? { maxClusters: num(d.maxClusters) } : {}),
    gatewayType: d.gatewayType,
    gatewayService: d.gatewayService,
    topology,
    ...qosTo(d),
    namespaceIsolation: {
      enabled: d.isolationEnabled,
      applicationNamespaces: namespacesTo(d.applicationNamespaces),
      allowedNamespaces: namespacesTo(d.allowedNamespaces),
    },
    serviceExports: exportsTo(d.serviceExports),
    members: d.members,
  };
}

/** Drop a cluster that left the members from every place that names it, so removing a member is one click. */
export function withoutMember(d: Draft, name: string): Draft {
  const prune = (list: NamespaceDraft[]) => list.map((e) => ({ ...e, clusters: e.clusters.filter((c) => c !== name) }));
  const overrides = { ...d.gatewayService.overrides };
  delete overrides[name];
  return {
    ...d,
    members: d.members.filter((m) => m !== name),
    hubs: d.hubs.filter((h) => h !== name),
    pairs: d.pairs.filter(([a, b]) => a !== name && b !== name),
    applicationNamespaces: prune(d.applicationNamespaces),
    allowedNamespaces: prune(d.allowedNamespaces),
    gatewayService: { ...d.gatewayService, overrides },
  };
}

export const STEPS = [
  { id: "basics", label: "Basics", fields: ["name", "description", "subnet", "maxClusters", "gatewayType", "gatewayService"] },
  { id: "members", label: "Members", fields: ["members", "gatewayService.overrides"] },
  { id: "topology", label: "Topology", fields: ["topology"] },
  { id: "qos", label: "QoS", fields: ["qos", "qosProfile"] },
  { id: "namespaces", label: "Namespaces", fields: ["namespaceIsolation"] },
  { id: "services", label: "Services", fields: ["serviceExports"] },
  { id: "review", label: "Review", fields: ["spec", "input"] },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

/**
 * The step whose inputs a field path belongs to, by its longest listed prefix
 * ("qos.priority" → qos, "gatewayService.overrides.edge-1" → members,
 * "gatewayService.type" → basics); unknown paths go to review.
 */
export function stepOf(path: string): StepId {
  let best: { id: StepId; length: number } = { id: "review", length: -1 };
  for (const s of STEPS) {
    for (const f of s.fields as readonly string[]) {
      if ((path === f || path.startsWith(`${f}.`)) && f.length > best.length) best = { id: s.id, length: f.length };
    }
  }
  return best.id;
}
