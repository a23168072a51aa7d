// KubeSlice document → the raw shape of an Isthmus spec. Each mapper reads the fields
// it knows, reports every other one as ignored and records what cannot be mapped;
// the spec's own rules are checked afterwards (validate.ts), except for a
// SliceQoSConfig, whose values are checked here since they need no slice.
import { z } from "zod";
import { issueField } from "../platform/zod-issues";
import { dnsLabel } from "../platform/field-rules";
import { guaranteedWithinCeiling, qosValueShape } from "../bundles/qos-rules";
import type { SliceSpec } from "../slices/schema";
import { DESCRIPTION_ANNOTATION, Doc, isObj, SERVER_METADATA, TOPOLOGY_ANNOTATION, type ImportedQosProfile, type Obj } from "./document";

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

export function mapSliceConfig(doc: Doc, qosProfiles: ReadonlySet<string>): Obj {
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

export function mapServiceExport(doc: Doc): { slice: unknown; value: Obj } {
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

// A SliceQoSConfig's values under the profile rules, each message naming the document's path.
const ZSliceQosSpec = z.object(qosValueShape("spec")).superRefine(guaranteedWithinCeiling("spec"));
const ZSliceQosName = dnsLabel("metadata.name");

export function mapSliceQosConfig(doc: Doc): ImportedQosProfile | null {
  doc.fields(doc.body.metadata, "metadata", ["name", ...SERVER_METADATA]);
  const values = mapQos(doc, doc.body.spec, "spec");
  const name = ZSliceQosName.safeParse(isObj(doc.body.metadata) ? doc.body.metadata.name : undefined);
  // A profile name is what slices refer to: a DNS-1123 label, as slice names are.
  for (const issue of name.error?.issues ?? []) doc.error("metadata.name", issue.message);
  const parsed = ZSliceQosSpec.safeParse(values ?? {});
  for (const issue of parsed.error?.issues ?? []) doc.error(issueField(["spec", ...issue.path], "spec"), issue.message);
  return name.success && parsed.success && doc.errorCount === 0 ? { document: doc.label, name: name.data, values: parsed.data } : null;
}
