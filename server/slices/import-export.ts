import { requireRole } from "../auth/roles";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { AppError } from "../errors";
import { createQosProfile } from "../qos-profiles/create-qos-profile";
import { exportSliceConfig, importSliceConfigs, type ImportedQosProfile } from "./kubeslice";
import { loadSlice, QOS_PROFILE_VALUES, qosOfProfile, specOf } from "./load-slice";
import { planSlice } from "./plan-slice";
import { sameQosValues, type QosValues } from "./qos-rules";
import { saveSlice } from "./save-slice";

const VALUE_FIELDS = ["priority", "bandwidthCeilingKbps", "bandwidthGuaranteedKbps", "dscpClass"] as const;

function differences(have: QosValues, want: QosValues): string {
  return VALUE_FIELDS.filter((f) => have[f] !== want[f])
    .map((f) => `${f} ${have[f]} (here ${want[f]})`)
    .join(", ");
}

/**
 * Import KubeSlice YAML: SliceConfig documents become slices, SliceQoSConfig documents
 * tenant QoS profiles (one with the same name and values is reused; the same name with
 * other values is an error). Every document is checked against the tenant's clusters
 * and profiles first; if any is wrong nothing is created.
 */
export async function importSlices(ctx: TenantContext, yamlText: string, options: { force?: boolean } = {}) {
  requireRole(ctx, "OPERATOR");
  if (yamlText.length > 512 * 1024) throw new AppError("BAD_REQUEST", "yaml: must be at most 512 KiB", { fieldErrors: { yaml: ["must be at most 512 KiB"] } });
  const taken = (await db().slice.findMany({ where: { tenantId: ctx.tenantId }, select: { subnet: true } })).map((s) => s.subnet);
  const existing = new Map((await db().qosProfile.findMany({ where: { tenantId: ctx.tenantId }, select: QOS_PROFILE_VALUES })).map((p) => [p.name, p]));
  const result = importSliceConfigs(yamlText, { takenSubnets: taken, knownQosProfiles: existing.keys() });
  const problems = result.errors.map((e) => `${e.document}: ${e.path ? `${e.path}: ` : ""}${e.message}`);
  if (result.slices.length === 0 && result.qosProfiles.length === 0 && problems.length === 0) problems.push("no SliceConfig or SliceQoSConfig document found");

  const toCreate: ImportedQosProfile[] = [];
  for (const p of result.qosProfiles) {
    const have = existing.get(p.name);
    if (!have) toCreate.push(p);
    else if (!sameQosValues(qosOfProfile(have), p.values)) {
      problems.push(`${p.document}: spec: this tenant already has a QoS profile named ${p.name} with other values: ${differences(qosOfProfile(have), p.values)}`);
    }
  }
  for (const spec of result.slices) {
    // A profile this import creates does not exist yet: check the rest of the slice now.
    const pending = toCreate.some((p) => p.name === spec.qosProfile);
    const plan = await planSlice(db(), ctx.tenantId, "slc_import_check", pending ? { ...spec, qosProfile: undefined } : spec);
    for (const [field, msgs] of Object.entries(plan.fieldErrors)) problems.push(`${spec.name}: ${field}: ${msgs.join("; ")}`);
  }
  if (problems.length) throw new AppError("BAD_REQUEST", problems.join("\n"), { fieldErrors: { yaml: problems } });

  const qosProfiles: Array<{ id: string; name: string; created: boolean }> = [];
  for (const p of result.qosProfiles) {
    const have = existing.get(p.name);
    if (have) qosProfiles.push({ id: have.id, name: p.name, created: false });
    else qosProfiles.push({ id: (await createQosProfile(ctx, { name: p.name, ...p.values })).id, name: p.name, created: true });
  }
  const slices: Array<{ id: string; name: string }> = [];
  for (const spec of result.slices) {
    const saved = await saveSlice(ctx, { spec, force: options.force });
    slices.push({ id: saved.id, name: saved.name });
  }
  return { slices, qosProfiles, ignoredFields: result.ignoredFields, warnings: result.warnings };
}

/** The slice as KubeSlice YAML (valid against the upstream CRDs), with its QoS profile if it uses one. */
export async function exportSlice(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const slice = await loadSlice(db(), ctx.tenantId, id);
  const profile = slice.qosProfile ? { name: slice.qosProfile.name, values: qosOfProfile(slice.qosProfile) } : undefined;
  return { name: slice.name, yaml: exportSliceConfig(specOf(slice), profile) };
}
