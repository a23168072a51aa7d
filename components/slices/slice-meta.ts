// Labels, tones and error helpers shared by the slice pages. Pure: no React.
import type { GatewayStatus } from "@/protocol/index";
import * as clusterMeta from "../clusters/meta";
import type { BadgeTone } from "../ui/badge";

/** A slice link's status: what its gateways report. */
export type LinkStatus = GatewayStatus;

/** Left to right in the topology graph: where traffic starts, the middle, the data centre. */
export { SITE_TYPES as SITE_ORDER } from "@/protocol/sites";

// The cluster pages' labels, looked up by the plain strings slice outputs carry.
export const SITE_LABEL: Readonly<Record<string, string>> = clusterMeta.SITE_LABEL;
export const AVAILABILITY_LABEL: Readonly<Record<string, string>> = clusterMeta.AVAILABILITY_LABEL;
export const AVAILABILITY_TONE: Readonly<Record<string, BadgeTone>> = clusterMeta.AVAILABILITY_TONE;

export const GATEWAY_LABEL: Record<string, string> = { OPENVPN: "OpenVPN", WIREGUARD: "WireGuard" };
export const TOPOLOGY_LABEL: Record<string, string> = { FULL_MESH: "Full mesh", HUB_SPOKE: "Hub and spoke", CUSTOM: "Custom pairs" };

export const LINK_TONE: Record<LinkStatus, BadgeTone> = { UP: "success", DEGRADED: "warning", DOWN: "danger", UNKNOWN: "neutral" };
export const LINK_LABEL: Record<LinkStatus, string> = { UP: "Up", DEGRADED: "Degraded", DOWN: "Down", UNKNOWN: "Unknown" };

/** Green when all are there, amber while some are missing, red when none are; grey when there is nothing to count. */
export function ratioTone(done: number, total: number): BadgeTone {
  if (total === 0) return "neutral";
  if (done >= total) return "success";
  return done === 0 ? "danger" : "warning";
}

export type FieldErrors = Record<string, string[] | undefined>;

// The spec's own dotted names, as the server writes them in messages, and what the
// console calls them.
const PATH_LABEL: Record<string, string> = {
  name: "Name",
  description: "Description",
  subnet: "Subnet",
  maxClusters: "Max clusters",
  gatewayType: "Gateway type",
  gatewayService: "Gateway service",
  members: "Members",
  topology: "Topology",
  "topology.hubs": "Hubs",
  "topology.pairs": "Pairs",
  "gatewayService.overrides": "Gateway service override",
  qos: "QoS",
  qosProfile: "QoS profile",
  "qos.priority": "Priority",
  "qos.bandwidthCeilingKbps": "Bandwidth ceiling",
  "qos.bandwidthGuaranteedKbps": "Guaranteed bandwidth",
  "qos.dscpClass": "DSCP class",
  serviceExports: "Service exports",
  "serviceExports.name": "Service name",
  "serviceExports.namespace": "Namespace",
  "serviceExports.sourceCluster": "Source cluster",
  "serviceExports.ports": "Ports",
  "serviceExports.ports.name": "Port name",
  "serviceExports.ports.port": "Port",
  "serviceExports.ports.protocol": "Protocol",
  "serviceExports.aliases": "Aliases",
  "namespaceIsolation.applicationNamespaces": "Application namespaces",
  "namespaceIsolation.allowedNamespaces": "Allowed namespaces",
  yaml: "YAML",
};

/**
 * One message as a sentence: fragments ("is already taken") get the field's label in
 * front, and the spec's dotted names read as the labels the form shows.
 */
export function sentence(message: string, label: string): string {
  if (/^(is|are|must|cannot|can't|not|should|has|have)\b/.test(message)) return `${label} ${message}`;
  // A message that opens with its own dotted path ("namespaceIsolation.allowedNamespaces.namespace must …") opens with the label instead.
  const opened = label ? message.replace(/^[a-zA-Z]+(?:\.[a-zA-Z]+)+(?=[ :])/, (p) => PATH_LABEL[p] ?? label) : message;
  const text = opened.replace(/\b[a-zA-Z]+(?:\.[a-zA-Z]+)+\b/g, (p) => (PATH_LABEL[p] ? PATH_LABEL[p].toLowerCase() : p));
  // Only a plain word gets its capital: a message that opens with a name ("edge-1 …",
  // "\"Edge-West\" …") keeps it exactly as the cluster is named or as it was typed.
  return /^[a-z]+(?=[\s:,]|$)/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * Messages for `path`: its own key, and with `deep` every key below it. A save refused
 * at the tRPC input keys messages by top-level field only ("qos"); those messages
 * still start with the full dotted name, which is how they find their input here.
 */
export function errorsAt(errors: FieldErrors | undefined, path: string, deep = false): string[] {
  if (!errors) return [];
  const out: string[] = [];
  const top = path.split(".")[0]!;
  for (const [key, list] of Object.entries(errors)) {
    if (!list?.length) continue;
    if (key === path || (deep && key.startsWith(path + "."))) out.push(...list);
    else if (key === top && top !== path) out.push(...list.filter((m) => m.startsWith(path + " ") || m.startsWith(path + ":")));
  }
  return [...new Set(out)];
}

/** The first message for a field as a sentence, or undefined (what <Field error> takes). */
export function fieldError(errors: FieldErrors | undefined, path: string, label: string, deep = false): string | undefined {
  const list = errorsAt(errors, path, deep);
  return list.length ? list.map((m) => sentence(m, label)).join(" ") : undefined;
}

export function hasErrors(errors: FieldErrors | undefined): boolean {
  return !!errors && Object.values(errors).some((l) => l && l.length > 0);
}

/** What the form calls a field path ("qos.priority" → "Priority"). */
export function labelOf(path: string): string {
  const clean = path.replace(/\.\d+/g, "");
  return PATH_LABEL[clean] ?? PATH_LABEL[clean.split(".")[0]!] ?? clean;
}
