import { requireRole } from "../auth/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { fieldError, isUniqueViolation } from "../errors";
import { deliverToClusters } from "../slices/deliver";
import { guaranteedProblem } from "../slices/qos-rules";
import { parseInput } from "../validation";
import { auditedFields, nameTaken } from "./create-qos-profile";
import { loadQosProfile } from "./load-qos-profile";
import { ZUpdateQosProfileInput, type UpdateQosProfileInput } from "./schema";

/**
 * Change some fields of a QoS profile. Every slice that uses it runs with the new values
 * at once: their members' bundles are recompiled and a revision is published for each
 * cluster whose bundle changed (a new name or description changes none). Unlike a slice
 * change, an offline member does not hold this up: it only shapes traffic, no tunnel
 * depends on it, and the cluster applies it when it reconnects.
 */
export async function updateQosProfile(ctx: TenantContext, id: string, input: UpdateQosProfileInput) {
  requireRole(ctx, "OPERATOR");
  const patch = parseInput(ZUpdateQosProfileInput, input);
  let clusters: string[] = [];
  let name = patch.name;
  try {
    await db().$transaction(async (tx) => {
      const before = await loadQosProfile(tx, ctx.tenantId, id);
      const after = { ...auditedFields(before), ...patch, description: patch.description === undefined ? before.description : patch.description };
      name = after.name;
      const problem = guaranteedProblem(after);
      if (problem) throw fieldError("bandwidthGuaranteedKbps", problem);
      await tx.qosProfile.updateMany({ where: { id, tenantId: ctx.tenantId }, data: after });
      await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "qos-profile.update", targetType: "qos-profile", targetId: id, before: auditedFields(before), after });
      const members = await tx.sliceMember.findMany({ where: { tenantId: ctx.tenantId, slice: { tenantId: ctx.tenantId, qosProfileId: id } }, select: { clusterId: true } });
      clusters = members.map((m) => m.clusterId);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name ?? "", err);
    throw err;
  }
  const revisions = await deliverToClusters(ctx.tenantId, clusters);
  return { ...(await loadQosProfile(db(), ctx.tenantId, id)), revisions };
}
