import { newId } from "../auth/secrets";
import { requireRole } from "../auth/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../context";
import { db, type Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { AppError, isForeignKeyViolation, isUniqueViolation } from "../errors";
import { parseInput } from "../validation";
import { deliverToClusters } from "./deliver";
import { loadSlice, specOf } from "./load-slice";
import { assertPlanValid, planSlice, type SlicePlan } from "./plan-slice";
import { changedImmutableFields, ZSliceSpec, type SliceSpec, type SliceSpecInput } from "./schema";

export interface SaveSliceInput {
  /** Absent to create a slice. */
  id?: string;
  spec: SliceSpecInput;
  /** Change even when some involved clusters are not available. */
  force?: boolean;
}

// A change reaches every involved cluster; one that is offline would apply it late and
// leave its peers' tunnels pointing at a stale configuration (KubeSlice refuses too).
async function assertAvailable(tx: Tx, tenantId: string, clusterIds: string[]) {
  const down = await tx.cluster.findMany({
    where: { tenantId, id: { in: clusterIds }, availability: { not: "AVAILABLE" } },
    select: { name: true, availability: true },
    orderBy: { name: "asc" },
  });
  if (down.length === 0) return;
  const list = down.map((c) => `${c.name} (${c.availability.toLowerCase()})`).join(", ");
  throw new AppError("PRECONDITION_FAILED", `These clusters are not available: ${list}. Wait for them to reconnect, or force the change.`, {
    fieldErrors: { members: [`not available: ${list}`] },
  });
}

// Batched: a 64-member full mesh has 2,016 links; one statement per kind of change,
// not one per row.
async function writePlan(tx: Tx, tenantId: string, sliceId: string, plan: SlicePlan) {
  await tx.sliceMember.deleteMany({ where: { tenantId, sliceId, clusterId: { notIn: plan.members.map((m) => m.clusterId) } } });
  const members = new Map((await tx.sliceMember.findMany({ where: { tenantId, sliceId }, select: { clusterId: true, index: true, subnet: true } })).map((m) => [m.clusterId, m]));
  await tx.sliceMember.createMany({ data: plan.members.filter((m) => !members.has(m.clusterId)).map((m) => ({ tenantId, sliceId, clusterId: m.clusterId, index: m.index, subnet: m.subnet })) });
  for (const m of plan.members) {
    const had = members.get(m.clusterId);
    if (had && (had.index !== m.index || had.subnet !== m.subnet)) {
      await tx.sliceMember.updateMany({ where: { tenantId, sliceId, clusterId: m.clusterId }, data: { index: m.index, subnet: m.subnet } });
    }
  }

  await tx.gatewayLink.deleteMany({ where: { tenantId, sliceId, id: { notIn: plan.links.map((l) => l.id) } } });
  const links = new Map((await tx.gatewayLink.findMany({ where: { tenantId, sliceId } })).map((l) => [l.id, l]));
  const row = (l: Omit<SlicePlan["links"][number], "id" | "serverEndpoint">) => ({ serverClusterId: l.serverClusterId, clientClusterId: l.clientClusterId, tunnelIndex: l.tunnelIndex, serverTunnelIp: l.serverTunnelIp, clientTunnelIp: l.clientTunnelIp });
  await tx.gatewayLink.createMany({ data: plan.links.filter((l) => !links.has(l.id)).map((l) => ({ id: l.id, tenantId, sliceId, ...row(l) })) });
  for (const l of plan.links) {
    const had = links.get(l.id);
    // Roles move when a member's reachability changes (e.g. it went behind NAT).
    if (had && JSON.stringify(row(had)) !== JSON.stringify(row(l))) await tx.gatewayLink.updateMany({ where: { id: l.id, tenantId }, data: row(l) });
  }
}

const columns = (spec: SliceSpec, plan: SlicePlan) => ({
  name: spec.name,
  description: spec.description ?? null,
  gatewayService: spec.gatewayService,
  topology: spec.topology,
  // The profile is stored by id, so renaming it never breaks the slices that use it.
  qos: spec.qos ?? Prisma.DbNull,
  qosProfileId: plan.qosProfileId,
  namespaceIsolation: spec.namespaceIsolation,
  serviceExports: spec.serviceExports,
});

/**
 * Create or update a slice: validate the spec, plan shares and links, write them with
 * the audit row in one transaction, then deliver new revisions to the clusters whose
 * bundle changed (old and new members).
 */
export async function saveSlice(ctx: TenantContext, input: SaveSliceInput) {
  requireRole(ctx, "OPERATOR");
  const spec = parseInput(ZSliceSpec, input.spec);
  const sliceId = input.id ?? `slc_${newId()}`;
  let affected: string[] = [];
  let plan: SlicePlan;
  try {
    plan = await db().$transaction(async (tx) => {
      let before: SliceSpec | null = null;
      let previousMembers: string[] = [];
      if (input.id) {
        const existing = await loadSlice(tx, ctx.tenantId, input.id);
        before = specOf(existing);
        previousMembers = existing.members.map((m) => m.clusterId);
        const immutable = changedImmutableFields(before, spec);
        if (immutable.length) {
          throw new AppError("BAD_REQUEST", immutable.map((f) => `${f}: cannot change after the slice is created (it would break the data plane); create a new slice instead`).join("\n"), {
            fieldErrors: Object.fromEntries(immutable.map((f) => [f, ["cannot change after the slice is created"]])),
          });
        }
      }
      const p = await planSlice(tx, ctx.tenantId, sliceId, spec);
      assertPlanValid(p);
      affected = [...new Set([...previousMembers, ...p.members.map((m) => m.clusterId)])];
      if (!input.force) await assertAvailable(tx, ctx.tenantId, affected);
      if (input.id) {
        await tx.slice.updateMany({ where: { id: sliceId, tenantId: ctx.tenantId }, data: columns(spec, p) });
      } else {
        await tx.slice.create({ data: { id: sliceId, tenantId: ctx.tenantId, subnet: spec.subnet, maxClusters: spec.maxClusters, gatewayType: spec.gatewayType, ...columns(spec, p) } });
      }
      await writePlan(tx, ctx.tenantId, sliceId, p);
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: input.id ? "slice.update" : "slice.create",
        targetType: "slice",
        targetId: sliceId,
        before: before as Record<string, unknown> | null,
        after: { ...spec, ...(input.force ? { forced: true } : {}) },
      });
      return p;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `name: a slice named ${spec.name} already exists`, { fieldErrors: { name: ["is already taken"] } }, { cause: err });
    // The profile was found by the plan, then deleted before the slice was written.
    if (isForeignKeyViolation(err) && spec.qosProfile) {
      const message = `QoS profile ${spec.qosProfile} was deleted while the slice was being saved`;
      throw new AppError("CONFLICT", `qosProfile: ${message}`, { fieldErrors: { qosProfile: [message] } }, { cause: err });
    }
    throw err;
  }
  const revisions = await deliverToClusters(ctx.tenantId, affected);
  return { id: sliceId, name: spec.name, warnings: plan.warnings, revisions };
}

/**
 * Update some fields of a slice; the rest keep their stored values. `qos` and
 * `qosProfile` are alternatives: setting one drops the stored other, and null clears it.
 */
export async function patchSlice(ctx: TenantContext, id: string, patch: Partial<SliceSpecInput>, force?: boolean) {
  requireRole(ctx, "OPERATOR");
  const current: SliceSpecInput = specOf(await loadSlice(db(), ctx.tenantId, id));
  if (patch.qos != null && patch.qosProfile === undefined) delete current.qosProfile;
  if (patch.qosProfile != null && patch.qos === undefined) delete current.qos;
  return saveSlice(ctx, { id, spec: { ...current, ...patch }, force });
}
