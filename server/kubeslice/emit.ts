// Isthmus slice → KubeSlice YAML: a SliceConfig with its ServiceExportConfigs, and the
// SliceQoSConfig of a tenant QoS profile. Topology and description, which the CRD has
// no field for, travel in isthmus.io/ annotations that a re-import reads back.
import { stringify } from "yaml";
import { AppError } from "../platform/errors";
import type { QosValues } from "../bundles/qos-rules";
import type { SliceSpec } from "../slices/schema";
import { DESCRIPTION_ANNOTATION, KUBESLICE_API_VERSION, TOPOLOGY_ANNOTATION, type Obj } from "./document";

/** The CRD caps spec.maxClusters at 32; Isthmus allows 64. */
export const KUBESLICE_MAX_CLUSTERS = 32;

function exportName(parts: string[]): string {
  return parts
    .join("-")
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, "");
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
