// The mapped spec checked against Isthmus's own rules (ZSliceSpec), with every error
// named by the KubeSlice path the user wrote, on the document that holds it.
import { ZSliceSpec, type SliceSpec } from "../slices/schema";
import { DESCRIPTION_ANNOTATION, TOPOLOGY_ANNOTATION, type Doc, type Obj } from "./document";

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
const EXPORT_PATHS: Record<string, string> = {
  name: "spec.serviceName",
  namespace: "spec.serviceNamespace",
  sourceCluster: "spec.sourceCluster",
  ports: "spec.serviceDiscoveryPorts",
  aliases: "spec.aliases",
};

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

/**
 * The slice spec of one mapped SliceConfig, or null when it has errors (reported on
 * `doc`). A bad ServiceExportConfig is reported on its own document and left out; it
 * does not keep the slice itself from importing.
 */
export function validateSlice(doc: Doc, raw: Obj, exportDocs: readonly Doc[]): SliceSpec | null {
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
  return parsed.success && doc.errorCount === 0 ? parsed.data : null;
}
