// KubeSlice documents in and out: an import writes slices and the QoS profiles they
// name in one transaction, so it sits above both domains rather than inside either.
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { deliverNow, recordDeliveries, type OutboxRow } from "../rollouts/outbox";
import { insertQosProfile } from "../qos-profiles/create-qos-profile";
import type { ImportedQosProfile } from "./document";
import { exportSliceConfig } from "./emit";
import { importSliceConfigs } from "./import";
import { sliceConfigPath } from "./validate";
import { QOS_PROFILE_VALUES, qosOfProfile } from "../bundles/effective-qos";
import { loadSlice, specOf } from "../slices/load-slice";
import { planSlice } from "../slices/plan-slice";
import { sameQosValues, type QosValues } from "../bundles/qos-rules";
import { writeTransaction } from "../slices/locks";
import { sliceWriteError, writeSlice } from "../slices/save-slice";

const VALUE_FIELDS = ["priority", "bandwidthCeilingKbps", "bandwidthGuaranteedKbps", "dscpClass"] as const;

/** A write that failed for one document, as "<document>: <KubeSlice path>: <problem>" lines. */
function importError(document: string | undefined, err: unknown): unknown {
  const e = sliceWriteError(err, {});
  if (!document || !(e instanceof AppError) || e.code === "FORBIDDEN" || e.code === "INTERNAL_SERVER_ERROR") return e;
  const byField = Object.entries(e.details?.fieldErrors ?? {});
  const problems = byField.length ? byField.flatMap(([f, msgs]) => msgs.map((m) => `${document}: ${sliceConfigPath(f)}: ${m}`)) : [`${document}: ${e.message}`];
  return new AppError(e.code, `nothing was imported: ${problems.join("\n")}`, { fieldErrors: { yaml: problems } }, { cause: err });
}

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
      problems.push(
        `${p.document}: spec: this tenant already has a QoS profile named ${p.name} with other values: ${differences(qosOfProfile(have), p.values)}`,
      );
    }
  }
  for (const spec of result.slices) {
    // A profile this import creates does not exist yet: check the rest of the slice now.
    const pending = toCreate.some((p) => p.name === spec.qosProfile);
    const plan = await planSlice(db(), ctx.tenantId, "slc_import_check", pending ? { ...spec, qosProfile: undefined } : spec);
    for (const [field, msgs] of Object.entries(plan.fieldErrors)) problems.push(`${spec.name}: ${field}: ${msgs.join("; ")}`);
  }
  if (problems.length) throw new AppError("BAD_REQUEST", problems.join("\n"), { fieldErrors: { yaml: problems } });

  // All documents or none: one transaction creates the profiles and the slices, each
  // slice planned against the ones before it (two imported slices may not overlap), and
  // records their deliveries. A conflict found only now (a name taken meanwhile) rolls
  // everything back and names the document and field.
  const qosProfiles: Array<{ id: string; name: string; created: boolean }> = [];
  const slices: Array<{ id: string; name: string }> = [];
  let current: { document: string } | undefined;
  let rows: OutboxRow[] = [];
  try {
    rows = await writeTransaction("slice.import", async (tx) => {
      qosProfiles.length = 0;
      slices.length = 0;
      const affected: string[] = [];
      for (const p of result.qosProfiles) {
        current = { document: p.document };
        const have = existing.get(p.name);
        if (have) qosProfiles.push({ id: have.id, name: p.name, created: false });
        else qosProfiles.push({ id: (await insertQosProfile(tx, ctx, { name: p.name, ...p.values })).id, name: p.name, created: true });
      }
      for (const spec of result.slices) {
        current = { document: spec.name };
        const written = await writeSlice(tx, ctx, { spec: () => spec, force: options.force, note: { imported: true } });
        slices.push({ id: written.id, name: written.name });
        affected.push(...written.affected);
      }
      current = undefined;
      return recordDeliveries(tx, ctx.tenantId, affected, "slice.import", { actor: ctx.actor });
    });
  } catch (err) {
    throw importError(current?.document, err);
  }
  await deliverNow(rows);
  return { slices, qosProfiles, ignoredFields: result.ignoredFields, warnings: result.warnings };
}

/** The slice as KubeSlice YAML (valid against the upstream CRDs), with its QoS profile if it uses one. */
export async function exportSlice(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const slice = await loadSlice(db(), ctx.tenantId, id);
  const profile = slice.qosProfile ? { name: slice.qosProfile.name, values: qosOfProfile(slice.qosProfile) } : undefined;
  return { name: slice.name, yaml: exportSliceConfig(specOf(slice), profile) };
}
