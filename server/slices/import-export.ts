import { requireRole } from "../auth/roles";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { AppError } from "../errors";
import { exportSliceConfig, importSliceConfigs } from "./kubeslice";
import { loadSlice, specOf } from "./load-slice";
import { planSlice } from "./plan-slice";
import { saveSlice } from "./save-slice";

/**
 * Import KubeSlice SliceConfig YAML (one or many documents). Every document is
 * checked against the tenant's clusters first; if any is wrong nothing is created.
 */
export async function importSlices(ctx: TenantContext, yamlText: string, options: { force?: boolean } = {}) {
  requireRole(ctx, "OPERATOR");
  if (yamlText.length > 512 * 1024) throw new AppError("BAD_REQUEST", "yaml: must be at most 512 KiB", { fieldErrors: { yaml: ["must be at most 512 KiB"] } });
  const taken = (await db().slice.findMany({ where: { tenantId: ctx.tenantId }, select: { subnet: true } })).map((s) => s.subnet);
  const result = importSliceConfigs(yamlText, { takenSubnets: taken });
  const problems = result.errors.map((e) => `${e.document}: ${e.path ? `${e.path}: ` : ""}${e.message}`);
  if (result.slices.length === 0 && problems.length === 0) problems.push("no SliceConfig document found");
  for (const spec of result.slices) {
    const plan = await planSlice(db(), ctx.tenantId, "slc_import_check", spec);
    for (const [field, msgs] of Object.entries(plan.fieldErrors)) problems.push(`${spec.name}: ${field}: ${msgs.join("; ")}`);
  }
  if (problems.length) throw new AppError("BAD_REQUEST", problems.join("\n"), { fieldErrors: { yaml: problems } });
  const slices: Array<{ id: string; name: string }> = [];
  for (const spec of result.slices) {
    const saved = await saveSlice(ctx, { spec, force: options.force });
    slices.push({ id: saved.id, name: saved.name });
  }
  return { slices, ignoredFields: result.ignoredFields, warnings: result.warnings };
}

/** The slice as KubeSlice SliceConfig YAML (valid against the upstream CRD). */
export async function exportSlice(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const slice = await loadSlice(db(), ctx.tenantId, id);
  return { name: slice.name, yaml: exportSliceConfig(specOf(slice)) };
}
