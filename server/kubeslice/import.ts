// KubeSlice interop: SliceConfig (controller.kubeslice.io/v1alpha1) in and out.
// Import runs parse.ts (text → documents), map.ts (documents → raw specs) and
// validate.ts (raw spec → SliceSpec, errors named by KubeSlice path); emit.ts writes
// the other way.
//
// Import maps every SliceConfig field that has an Isthmus counterpart and lists the
// rest in `ignoredFields`, so nothing is dropped without the user seeing it. Companion
// documents in the same text are used too: a SliceQoSConfig becomes a tenant QoS profile
// that spec.standardQosProfileName refers to (a name that is not in the text may be an
// existing profile of the tenant), and ServiceExportConfig becomes the slice's
// serviceExports. The upstream CRD has no topology field (KubeSlice always builds a full
// mesh) and no description, so export keeps those in isthmus.io/ annotations, which
// KubeSlice leaves alone and a re-import reads back.
import { suggestSubnet } from "../slices/ipam/suggest";
import type { Doc, ImportResult, Obj } from "./document";
import { mapServiceExport, mapSliceConfig, mapSliceQosConfig } from "./map";
import { parseDocuments } from "./parse";
import { validateSlice } from "./validate";

export interface ImportOptions {
  /** Subnets already used by the caller's slices (a slice without sliceSubnet avoids them). */
  takenSubnets?: readonly string[];
  /** Names of the tenant's QoS profiles, which spec.standardQosProfileName may refer to. */
  knownQosProfiles?: Iterable<string>;
}

export function importSliceConfigs(yamlText: string, options: ImportOptions = {}): ImportResult {
  const out: ImportResult = { slices: [], qosProfiles: [], ignoredFields: [], warnings: [], errors: [] };
  const docs = parseDocuments(yamlText, out);
  const byKind = (kind: string) => docs.filter((d) => d.body.kind === kind);

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
    const spec = validateSlice(doc, raw, exportDocs);
    if (spec) out.slices.push(spec);
  }
  return out;
}
