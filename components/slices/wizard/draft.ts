// The wizard's working copy of a slice spec. Inputs hold text (so a half-typed number
// stays on screen); `draftToSpec` turns it into the spec the server validates, leaving
// every judgement (required, ranges, membership) to the server's one schema.
import type { RouterOutputs } from "@/lib/trpc";

export type SliceSpec = RouterOutputs["slices"]["get"]["spec"];
type Topology = SliceSpec["topology"];
type GatewayService = SliceSpec["gatewayService"];

export const DSCP_CLASSES = ["Default", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "AF31", "AF32", "AF33", "AF41", "AF42", "AF43", "EF"] as const;
export type DscpClass = (typeof DSCP_CLASSES)[number];

export interface NamespaceDraft {
  /** Stable React key: entries are added and removed in the middle. */
  key: number;
  namespace: string;
  /** On every member ("*"), or on the clusters listed. */
  everywhere: boolean;
  clusters: string[];
}

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
  qosEnabled: boolean;
  qos: { priority: string; ceiling: string; guaranteed: string; dscpClass: DscpClass };
  isolationEnabled: boolean;
  applicationNamespaces: NamespaceDraft[];
  allowedNamespaces: NamespaceDraft[];
  /** Not edited in the wizard; kept as they are (KubeSlice imports bring them). */
  serviceExports: SliceSpec["serviceExports"];
}

let nextKey = 1;
export const newNamespace = (namespace = ""): NamespaceDraft => ({ key: nextKey++, namespace, everywhere: true, clusters: [] });

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
    qosEnabled: false,
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
    qosEnabled: !!spec.qos,
    qos: spec.qos
      ? { priority: String(spec.qos.priority), ceiling: String(spec.qos.bandwidthCeilingKbps), guaranteed: String(spec.qos.bandwidthGuaranteedKbps), dscpClass: spec.qos.dscpClass }
      : emptyDraft().qos,
    isolationEnabled: spec.namespaceIsolation.enabled,
    applicationNamespaces: namespacesFrom(spec.namespaceIsolation.applicationNamespaces),
    allowedNamespaces: namespacesFrom(spec.namespaceIsolation.allowedNamespaces),
    serviceExports: spec.serviceExports,
  };
}

/** A whole number as a number; anything else as typed, so the server names the rule it breaks. */
function num(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

const namespacesTo = (list: NamespaceDraft[]) => list.map((e) => ({ namespace: e.namespace.trim(), clusters: e.everywhere ? ["*"] : e.clusters }));

/** The spec as the server takes it (`slices.create`, `slices.preview`). Typed loosely on purpose: it may be invalid. */
export function draftToSpec(d: Draft): Record<string, unknown> {
  const topology =
    d.topologyKind === "HUB_SPOKE" ? { kind: "HUB_SPOKE", hubs: d.hubs } : d.topologyKind === "CUSTOM" ? { kind: "CUSTOM", pairs: d.pairs } : { kind: "FULL_MESH" };
  return {
    name: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    subnet: d.subnet.trim(),
    ...(num(d.maxClusters) !== undefined ? { maxClusters: num(d.maxClusters) } : {}),
    gatewayType: d.gatewayType,
    gatewayService: d.gatewayService,
    topology,
    ...(d.qosEnabled
      ? { qos: { profile: "HTB", priority: num(d.qos.priority), bandwidthCeilingKbps: num(d.qos.ceiling), bandwidthGuaranteedKbps: num(d.qos.guaranteed), dscpClass: d.qos.dscpClass } }
      : {}),
    namespaceIsolation: { enabled: d.isolationEnabled, applicationNamespaces: namespacesTo(d.applicationNamespaces), allowedNamespaces: namespacesTo(d.allowedNamespaces) },
    serviceExports: d.serviceExports,
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
  { id: "members", label: "Members", fields: ["members"] },
  { id: "topology", label: "Topology", fields: ["topology"] },
  { id: "qos", label: "QoS", fields: ["qos"] },
  { id: "namespaces", label: "Namespaces", fields: ["namespaceIsolation"] },
  { id: "review", label: "Review", fields: ["serviceExports", "spec", "input"] },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

/** The step whose inputs a field path belongs to ("qos.priority" → qos); unknown paths go to review. */
export function stepOf(path: string): StepId {
  const top = path.split(".")[0]!;
  return STEPS.find((s) => (s.fields as readonly string[]).includes(top))?.id ?? "review";
}
