// KubeSlice interop: SliceConfig (controller.kubeslice.io/v1alpha1) in and out.
//
// Import maps every SliceConfig field that has an Isthmus counterpart and lists the
// rest in `ignoredFields`, so nothing is dropped without the user seeing it. Companion
// documents in the same text are used too: a SliceQoSConfig becomes a tenant QoS profile
// that spec.standardQosProfileName refers to (a name that is not in the text may be an
// existing profile of the tenant), and ServiceExportConfig becomes the slice's
// serviceExports. The upstream CRD has no topology field (KubeSlice always builds a full
// mesh) and no description, so export keeps those in isthmus.io/ annotations, which
// KubeSlice leaves alone and a re-import reads back.
import { z } from "zod";
import { parseAllDocuments, stringify } from "yaml";
import { AppError } from "../errors";
import { findUnstorableInput } from "../validation";
import { dnsLabel } from "./field-rules";
import { suggestSubnet } from "./ipam";
import { guaranteedWithinCeiling, qosValueShape, type QosValues } from "./qos-rules";
import { ZSliceSpec, type SliceSpec } from "./schema";

export const KUBESLICE_API_VERSION = "controller.kubeslice.io/v1alpha1";
export const TOPOLOGY_ANNOTATION = "isthmus.io/topology";
export const DESCRIPTION_ANNOTATION = "isthmus.io/description";
/** The CRD caps spec.maxClusters at 32; Isthmus allows 64. */
export const KUBESLICE_MAX_CLUSTERS = 32;

// Limits of one import, so hostile YAML costs bounded time and memory: the text, the
// documents in it, and aliases per document (a "billion laughs" text expands a few
// aliases into gigabytes; KubeSlice documents have no use for many).
export const MAX_IMPORT_CHARS = 512 * 1024;
export const MAX_IMPORT_DOCUMENTS = 200;
export const MAX_ALIASES_PER_DOCUMENT = 50;

export interface ImportError {
  /** metadata.name of the document, or "document N" (1-based) when it has none. */
  document: string;
  /** Dotted path in the KubeSlice document. */
  path: string;
  message: string;
}

/** A SliceQoSConfig of the import, to become (or match) a tenant QoS profile. */
export interface ImportedQosProfile {
  document: string;
  name: string;
  values: QosValues;
}

export interface ImportResult {
  slices: SliceSpec[];
  qosProfiles: ImportedQosProfile[];
  /** "<document>: <dotted path>" for every field Isthmus has no counterpart for. */
  ignoredFields: string[];
  /** Where the imported slice will behave differently from KubeSlice ("<document>: ..."). */
  warnings: string[];
  errors: ImportError[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// Written by the API server, not by the user: neither imported nor worth reporting.
const SERVER_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "finalizers"];

class Doc {
  errorCount = 0;
  constructor(
    readonly label: string,
    readonly body: Obj,
    private readonly out: ImportResult,
  ) {}
  ignore(path: string) {
    this.out.ignoredFields.push(`${this.label}: ${path}`);
  }
  error(path: string, message: string) {
    this.errorCount++;
    this.out.errors.push({ document: this.label, path, message });
  }
  warn(message: string) {
    this.out.warnings.push(`${this.label}: ${message}`);
  }
  /** The object at `path`, reporting keys outside `known` as ignored. */
  fields(value: unknown, path: string, known: readonly string[]): Obj | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObj(value)) {
      this.error(path, `${path} must be an object`);
      return undefined;
    }
    for (const key of Object.keys(value)) if (!known.includes(key)) this.ignore(`${path}.${key}`);
    return value;
  }
  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.error(path, `${path} must be a list`);
    return [];
  }
}

const GATEWAY_TYPES: Record<string, SliceSpec["gatewayType"]> = { OpenVPN: "OPENVPN", Wireguard: "WIREGUARD" };

function mapQos(doc: Doc, value: unknown, path: string): Obj | undefined {
  const q = doc.fields(value, path, ["queueType", "tcType", "priority", "bandwidthCeilingKbps", "bandwidthGuaranteedKbps", "dscpClass"]);
  if (!q) return undefined;
  // HTB bandwidth control is the only discipline either side implements.
  if ((q.queueType ?? "HTB") !== "HTB") doc.error(`${path}.queueType`, `${path}.queueType must be HTB, got ${String(q.queueType)}`);
  if ((q.tcType ?? "BANDWIDTH_CONTROL") !== "BANDWIDTH_CONTROL") {
    doc.error(`${path}.tcType`, `${path}.tcType must be BANDWIDTH_CONTROL, got ${String(q.tcType)}`);
  }
  const { priority, bandwidthCeilingKbps, bandwidthGuaranteedKbps, dscpClass } = q;
  return { profile: "HTB", priority, bandwidthCeilingKbps, bandwidthGuaranteedKbps, dscpClass };
}

function mapNamespaces(doc: Doc, value: unknown, path: string): Obj[] {
  return doc.list(value, path).map((entry, i) => {
    const e = doc.fields(entry, `${path}[${i}]`, ["namespace", "clusters"]);
    return { namespace: e?.namespace, clusters: e?.clusters };
  });
}

function mapGatewayService(doc: Doc, value: unknown, path: string): Obj {
  let base = { type: "NodePort", protocol: "UDP" };
  let overrides: Record<string, Obj> = {};
  // Applied in order, as KubeSlice does: "*" sets every cluster, a later entry wins.
  doc.list(value, path).forEach((entry, i) => {
    const e = doc.fields(entry, `${path}[${i}]`, ["cluster", "type", "protocol"]);
    if (!e) return;
    const choice = { type: e.type ?? "NodePort", protocol: e.protocol ?? "UDP" };
    if (e.cluster === "*") [base, overrides] = [choice as typeof base, {}];
    else if (typeof e.cluster === "string") overrides[e.cluster] = choice;
    else doc.error(`${path}[${i}].cluster`, `${path}[${i}].cluster must be a cluster name or "*"`);
  });
  return { ...base, overrides };
}

function mapSliceConfig(doc: Doc, qosProfiles: ReadonlySet<string>): Obj {
  const meta = doc.fields(doc.body.metadata, "metadata", ["name", "annotations", ...SERVER_METADATA]) ?? {};
  const raw: Obj = { name: meta.name };
  const annotations = doc.fields(meta.annotations, "metadata.annotations", [TOPOLOGY_ANNOTATION, DESCRIPTION_ANNOTATION]) ?? {};
  if (annotations[DESCRIPTION_ANNOTATION] !== undefined) raw.description = annotations[DESCRIPTION_ANNOTATION];
  if (typeof annotations[TOPOLOGY_ANNOTATION] === "string") {
    try {
      raw.topology = JSON.parse(annotations[TOPOLOGY_ANNOTATION]);
    } catch {
      doc.error(`metadata.annotations.${TOPOLOGY_ANNOTATION}`, `metadata.annotations.${TOPOLOGY_ANNOTATION} must be JSON`);
    }
  }

  const known = ["sliceSubnet", "maxClusters", "sliceGatewayProvider", "clusters", "qosProfileDetails", "standardQosProfileName", "namespaceIsolationProfile"];
  const spec = doc.fields(doc.body.spec, "spec", known) ?? {};
  if ("topologyConfig" in spec) doc.warn("spec.topologyConfig is not part of the upstream SliceConfig CRD; the slice is imported as a full mesh");
  const mode = spec.overlayNetworkDeploymentMode;
  if (mode !== undefined && mode !== "single-network") {
    doc.warn(`overlayNetworkDeploymentMode ${String(mode)} is not supported: Isthmus always builds the overlay, so this slice gets a subnet and gateways`);
  }
  raw.subnet = spec.sliceSubnet;
  raw.maxClusters = spec.maxClusters ?? 16;
  raw.members = spec.clusters ?? [];

  // sliceCaType "Local" (what the CRD requires and what export writes) is what Isthmus
  // does anyway, so it is accepted silently; any other CA type is listed as ignored.
  const gwRaw = spec.sliceGatewayProvider;
  const gwIn = isObj(gwRaw) && gwRaw.sliceCaType === "Local" ? Object.fromEntries(Object.entries(gwRaw).filter(([k]) => k !== "sliceCaType")) : gwRaw;
  const gw = doc.fields(gwIn, "spec.sliceGatewayProvider", ["sliceGatewayType", "sliceGatewayServiceType"]) ?? {};
  const gwType = gw.sliceGatewayType ?? "OpenVPN";
  raw.gatewayType = GATEWAY_TYPES[String(gwType)];
  if (!raw.gatewayType) {
    doc.error("spec.sliceGatewayProvider.sliceGatewayType", `spec.sliceGatewayProvider.sliceGatewayType must be OpenVPN or Wireguard, got ${String(gwType)}`);
  }
  raw.gatewayService = mapGatewayService(doc, gw.sliceGatewayServiceType, "spec.sliceGatewayProvider.sliceGatewayServiceType");

  if (spec.qosProfileDetails !== undefined && spec.standardQosProfileName !== undefined) {
    doc.error("spec.standardQosProfileName", "set either spec.qosProfileDetails or spec.standardQosProfileName, not both");
  } else if (spec.standardQosProfileName !== undefined) {
    raw.qosProfile = spec.standardQosProfileName;
    if (!qosProfiles.has(String(spec.standardQosProfileName))) {
      doc.error(
        "spec.standardQosProfileName",
        `spec.standardQosProfileName refers to SliceQoSConfig ${String(spec.standardQosProfileName)}, which is neither in this import nor a QoS profile of this tenant`,
      );
    }
  } else {
    raw.qos = mapQos(doc, spec.qosProfileDetails, "spec.qosProfileDetails");
  }

  const iso = doc.fields(spec.namespaceIsolationProfile, "spec.namespaceIsolationProfile", ["isolationEnabled", "applicationNamespaces", "allowedNamespaces"]);
  if (iso) {
    raw.namespaceIsolation = {
      enabled: iso.isolationEnabled ?? false,
      applicationNamespaces: mapNamespaces(doc, iso.applicationNamespaces, "spec.namespaceIsolationProfile.applicationNamespaces"),
      allowedNamespaces: mapNamespaces(doc, iso.allowedNamespaces, "spec.namespaceIsolationProfile.allowedNamespaces"),
    };
  }
  return raw;
}

function mapServiceExport(doc: Doc): { slice: unknown; value: Obj } {
  doc.fields(doc.body.metadata, "metadata", ["name", ...SERVER_METADATA]);
  const spec = doc.fields(doc.body.spec, "spec", ["serviceName", "serviceNamespace", "sourceCluster", "sliceName", "serviceDiscoveryPorts", "aliases"]) ?? {};
  const ports = doc.list(spec.serviceDiscoveryPorts, "spec.serviceDiscoveryPorts").map((entry, i) => {
    const p = doc.fields(entry, `spec.serviceDiscoveryPorts[${i}]`, ["name", "port", "protocol", "servicePort", "serviceProtocol"]) ?? {};
    const protocol = p.protocol ?? p.serviceProtocol;
    return { name: p.name, port: p.port ?? p.servicePort, protocol: typeof protocol === "string" ? protocol.toUpperCase() : protocol };
  });
  const value: Obj = { name: spec.serviceName, namespace: spec.serviceNamespace, sourceCluster: spec.sourceCluster, ports };
  if (spec.aliases !== undefined) value.aliases = spec.aliases;
  return { slice: spec.sliceName, value };
}

const SPEC_PATHS: Record<string, string> = {
  name: "metadata.name",
  description: `metadata.annotations.${DESCRIPTION_ANNOTATION}`,
  subnet: "spec.sliceSubnet",
  maxClusters: "spec.maxClusters",
  gatewayType: "spec.sliceGatewayProvider.sliceGatewayType",
  gatewayService: "spec.sliceGatewayProvider.sliceGatewayServiceType",
  topology: `metadata.annotations.${TOPOLOGY_ANNOTATION}`,
  qos: "spec.qosProfileDetails",
  qosProfile: "spec.standardQosProfileName",
  namespaceIsolation: "spec.namespaceIsolationProfile",
  members: "spec.clusters",
};
const EXPORT_PATHS: Record<string, string> = { name: "spec.serviceName", namespace: "spec.serviceNamespace", sourceCluster: "spec.sourceCluster", ports: "spec.serviceDiscoveryPorts", aliases: "spec.aliases" };

/** Our spec path → the KubeSlice path the user wrote, e.g. members.2 → spec.clusters[2]. */
function kubeslicePath(path: PropertyKey[], table: Record<string, string>): string {
  const [head, ...rest] = path.map(String);
  let out = table[head] ?? head ?? "";
  for (const part of head === "gatewayService" || head === "topology" ? [] : rest) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += `.${part === "enabled" ? "isolationEnabled" : part}`;
  }
  return out;
}

/** Where a field of our slice spec lives in a SliceConfig document ("subnet" → "spec.sliceSubnet"). */
export const sliceConfigPath = (field: string) => kubeslicePath(field.split("."), SPEC_PATHS);

// A SliceQoSConfig's values under the profile rules, each message naming the document's path.
const ZSliceQosSpec = z.object(qosValueShape("spec")).superRefine(guaranteedWithinCeiling("spec"));
const ZSliceQosName = dnsLabel("metadata.name");

function mapSliceQosConfig(doc: Doc): ImportedQosProfile | null {
  doc.fields(doc.body.metadata, "metadata", ["name", ...SERVER_METADATA]);
  const values = mapQos(doc, doc.body.spec, "spec");
  const name = ZSliceQosName.safeParse(isObj(doc.body.metadata) ? doc.body.metadata.name : undefined);
  // A profile name is what slices refer to: a DNS-1123 label, as slice names are.
  for (const issue of name.error?.issues ?? []) doc.error("metadata.name", issue.message);
  const parsed = ZSliceQosSpec.safeParse(values ?? {});
  for (const issue of parsed.error?.issues ?? []) doc.error(issue.path.length ? `spec.${issue.path.join(".")}` : "spec", issue.message);
  return name.success && parsed.success && doc.errorCount === 0 ? { document: doc.label, name: name.data, values: parsed.data } : null;
}

export interface ImportOptions {
  /** Subnets already used by the caller's slices (a slice without sliceSubnet avoids them). */
  takenSubnets?: readonly string[];
  /** Names of the tenant's QoS profiles, which spec.standardQosProfileName may refer to. */
  knownQosProfiles?: Iterable<string>;
}

export function importSliceConfigs(yamlText: string, options: ImportOptions = {}): ImportResult {
  const out: ImportResult = { slices: [], qosProfiles: [], ignoredFields: [], warnings: [], errors: [] };
  const docs: Doc[] = [];
  if (yamlText.length > MAX_IMPORT_CHARS) {
    out.errors.push({ document: "text", path: "", message: `must be at most ${MAX_IMPORT_CHARS / 1024} KiB` });
    return out;
  }
  const parsedDocs = parseAllDocuments(yamlText);
  const all = Array.isArray(parsedDocs) ? parsedDocs : [parsedDocs];
  if (all.length > MAX_IMPORT_DOCUMENTS) {
    out.errors.push({ document: "text", path: "", message: `has ${all.length} documents; at most ${MAX_IMPORT_DOCUMENTS} are imported at once` });
    return out;
  }
  all.forEach((parsed, i) => {
    const fallback = `document ${i + 1}`;
    if (parsed.errors.length > 0) {
      out.errors.push({ document: fallback, path: "", message: `not valid YAML: ${parsed.errors[0]!.message}` });
      return;
    }
    let body: unknown;
    try {
      body = parsed.toJS({ maxAliasCount: MAX_ALIASES_PER_DOCUMENT });
    } catch {
      out.errors.push({ document: fallback, path: "", message: `uses aliases (*name) more than ${MAX_ALIASES_PER_DOCUMENT} times in expanded form; write the values out` });
      return;
    }
    if (body === null || body === undefined) return;
    // YAML escapes ("\0", "\ud800") can make text PostgreSQL cannot store.
    const unstorable = findUnstorableInput(body);
    if (unstorable) {
      out.errors.push({ document: fallback, path: unstorable.field, message: unstorable.message });
      return;
    }
    if (!isObj(body)) {
      out.errors.push({ document: fallback, path: "", message: "a document must be a Kubernetes object (a mapping)" });
      return;
    }
    const name = isObj(body.metadata) && typeof body.metadata.name === "string" ? body.metadata.name : fallback;
    docs.push(new Doc(name, body, out));
  });

  const byKind = (kind: string) => docs.filter((d) => d.body.kind === kind && d.body.apiVersion === KUBESLICE_API_VERSION);
  for (const d of docs) {
    const { apiVersion, kind } = d.body;
    if (!["SliceConfig", "SliceQoSConfig", "ServiceExportConfig"].includes(String(kind))) {
      d.error("kind", `${String(apiVersion)} ${String(kind)} is not a KubeSlice SliceConfig; the document was skipped`);
    } else if (apiVersion !== KUBESLICE_API_VERSION) {
      d.error("apiVersion", `${String(kind)} must be ${KUBESLICE_API_VERSION}, got ${String(apiVersion)}; the document was skipped`);
    }
  }

  // Every SliceQoSConfig becomes a profile, used by a slice here or not.
  const qosNames = new Set<string>(options.knownQosProfiles ?? []);
  for (const d of byKind("SliceQoSConfig")) {
    if (out.qosProfiles.some((p) => p.name === d.label)) {
      d.error("metadata.name", `another SliceQoSConfig in this import is also named ${d.label}`);
      continue;
    }
    const profile = mapSliceQosConfig(d);
    if (profile) out.qosProfiles.push(profile);
    // One with errors is reported on its own document; slices naming it are not also blamed.
    qosNames.add(d.label);
  }

  const raws = byKind("SliceConfig").map((d) => ({ doc: d, raw: mapSliceConfig(d, qosNames), exportDocs: [] as Doc[] }));
  const byName = new Map<unknown, (typeof raws)[number]>();
  for (const r of raws) if (!byName.has(r.raw.name)) byName.set(r.raw.name, r);
  for (const d of byKind("ServiceExportConfig")) {
    const { slice, value } = mapServiceExport(d);
    const target = byName.get(slice);
    if (!target) {
      d.error("spec.sliceName", `spec.sliceName refers to slice ${String(slice)}, which is not in this import`);
      continue;
    }
    ((target.raw.serviceExports as Obj[] | undefined) ?? (target.raw.serviceExports = [])).push(value);
    target.exportDocs.push(d);
  }

  // A slice without sliceSubnet (KubeSlice's no-network mode allows it) gets the first
  // private /16 that no other slice here, nor the caller, already uses.
  const taken = [...(options.takenSubnets ?? []), ...raws.map((r) => r.raw.subnet).filter((s): s is string => typeof s === "string")];
  const seen = new Set<unknown>();
  for (const { doc, raw, exportDocs } of raws) {
    if (seen.has(raw.name)) {
      doc.error("metadata.name", `another SliceConfig in this import is also named ${String(raw.name)}`);
      continue;
    }
    seen.add(raw.name);
    if (raw.subnet === undefined) {
      const subnet = suggestSubnet(taken);
      if (!subnet) {
        doc.error("spec.sliceSubnet", "spec.sliceSubnet is missing and no free private /16 is left to assign");
        continue;
      }
      raw.subnet = subnet;
      taken.push(subnet);
      doc.warn(`spec.sliceSubnet is missing; assigned ${subnet}, the first private /16 not used by another slice`);
    }
    // A bad ServiceExportConfig is reported on its own document and left out; it does
    // not keep the slice itself from importing.
    let parsed = ZSliceSpec.safeParse(raw);
    const badExports = new Set<number>();
    for (const issue of parsed.error?.issues ?? []) {
      const [head, index, ...rest] = issue.path;
      if (head === "serviceExports" && typeof index === "number" && exportDocs[index]) {
        exportDocs[index].error(kubeslicePath(rest, EXPORT_PATHS), issue.message);
        badExports.add(index);
      } else {
        doc.error(kubeslicePath(issue.path, SPEC_PATHS), issue.message);
      }
    }
    if (badExports.size > 0 && doc.errorCount === 0) {
      raw.serviceExports = (raw.serviceExports as Obj[]).filter((_, i) => !badExports.has(i));
      parsed = ZSliceSpec.safeParse(raw);
    }
    if (parsed.success && doc.errorCount === 0) out.slices.push(parsed.data);
  }
  return out;
}

function exportName(parts: string[]): string {
  return parts.join("-").slice(0, 253).replace(/[^a-z0-9]+$/, "");
}

/**
 * A SliceConfig for `spec`, followed by one ServiceExportConfig per service export, as
 * multi-document YAML that validates against the upstream CRDs. A slice on a tenant QoS
 * profile (`qosProfile`, whose values are passed in) refers to it by
 * spec.standardQosProfileName, and its SliceQoSConfig comes first, so applying the text
 * in order creates the profile before the slice that needs it. Throws BAD_REQUEST for a
 * slice KubeSlice cannot hold (more than 32 clusters).
 */
export function exportSliceConfig(spec: SliceSpec, qosProfile?: { name: string; values: QosValues }): string {
  if (spec.qosProfile && qosProfile?.name !== spec.qosProfile) throw new Error(`exportSliceConfig: the values of QoS profile ${spec.qosProfile} are needed`);
  if (spec.maxClusters > KUBESLICE_MAX_CLUSTERS) {
    const message = `KubeSlice allows at most ${KUBESLICE_MAX_CLUSTERS} clusters per slice; this slice allows ${spec.maxClusters}, so it cannot be exported`;
    throw new AppError("BAD_REQUEST", `maxClusters: ${message}`, { fieldErrors: { maxClusters: [message] } });
  }
  const annotations: Record<string, string> = {};
  if (spec.description !== undefined) annotations[DESCRIPTION_ANNOTATION] = spec.description;
  if (spec.topology.kind !== "FULL_MESH") annotations[TOPOLOGY_ANNOTATION] = JSON.stringify(spec.topology);

  const { type, protocol, overrides } = spec.gatewayService;
  const serviceTypes: Obj[] = type !== "NodePort" || protocol !== "UDP" ? [{ cluster: "*", type, protocol }] : [];
  for (const cluster of Object.keys(overrides).sort()) serviceTypes.push({ cluster, ...overrides[cluster] });
  const namespaces = (list: SliceSpec["namespaceIsolation"]["applicationNamespaces"]) =>
    list.map((e) => ({ namespace: e.namespace, clusters: [...e.clusters] }));

  const sliceConfig = {
    apiVersion: KUBESLICE_API_VERSION,
    kind: "SliceConfig",
    metadata: { name: spec.name, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      sliceSubnet: spec.subnet,
      maxClusters: spec.maxClusters,
      sliceGatewayProvider: {
        sliceGatewayType: spec.gatewayType === "WIREGUARD" ? "Wireguard" : "OpenVPN",
        sliceCaType: "Local",
        ...(serviceTypes.length > 0 ? { sliceGatewayServiceType: serviceTypes } : {}),
      },
      clusters: [...spec.members],
      ...(spec.qosProfile ? { standardQosProfileName: spec.qosProfile } : {}),
      ...(spec.qos
        ? {
            qosProfileDetails: {
              queueType: spec.qos.profile,
              priority: spec.qos.priority,
              tcType: "BANDWIDTH_CONTROL",
              bandwidthCeilingKbps: spec.qos.bandwidthCeilingKbps,
              bandwidthGuaranteedKbps: spec.qos.bandwidthGuaranteedKbps,
              dscpClass: spec.qos.dscpClass,
            },
          }
        : {}),
      namespaceIsolationProfile: {
        isolationEnabled: spec.namespaceIsolation.enabled,
        applicationNamespaces: namespaces(spec.namespaceIsolation.applicationNamespaces),
        allowedNamespaces: namespaces(spec.namespaceIsolation.allowedNamespaces),
      },
    },
  };
  const exports = spec.serviceExports.map((e) => ({
    apiVersion: KUBESLICE_API_VERSION,
    kind: "ServiceExportConfig",
    metadata: { name: exportName([e.name, e.namespace, spec.name, e.sourceCluster]) },
    spec: {
      serviceName: e.name,
      serviceNamespace: e.namespace,
      sourceCluster: e.sourceCluster,
      sliceName: spec.name,
      serviceDiscoveryPorts: e.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.port, protocol: p.protocol })),
      ...(e.aliases !== undefined ? { aliases: [...e.aliases] } : {}),
    },
  }));
  const qosConfigs = spec.qosProfile && qosProfile ? [sliceQosConfig(qosProfile.name, qosProfile.values)] : [];
  return [...qosConfigs, sliceConfig, ...exports].map((d) => stringify(d)).join("---\n");
}

/** A tenant QoS profile as a KubeSlice SliceQoSConfig. */
export function sliceQosConfig(name: string, q: QosValues) {
  return {
    apiVersion: KUBESLICE_API_VERSION,
    kind: "SliceQoSConfig",
    metadata: { name },
    spec: {
      queueType: "HTB",
      priority: q.priority,
      tcType: "BANDWIDTH_CONTROL",
      bandwidthCeilingKbps: q.bandwidthCeilingKbps,
      bandwidthGuaranteedKbps: q.bandwidthGuaranteedKbps,
      dscpClass: q.dscpClass,
    },
  };
}
