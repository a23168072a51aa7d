import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { deliverNow, recordDeliveries, type OutboxRow } from "../rollouts/outbox";
import type { RolloutOptionsInput } from "../rollouts/schema";
import { rolloutSummary } from "../rollouts/summary";
import { db } from "../platform/db/client";
import { AppError, fieldError, isUniqueViolation } from "../platform/errors";
import { lockSlices, writeTransaction } from "../slices/locks";
import { guaranteedProblem } from "../bundles/qos-rules";
import { parseInput } from "../platform/validation";
import { assertVersion, type VersionCondition } from "../platform/versions";
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
export async function updateQosProfile(
  ctx: TenantContext,
  id: string,
  input: UpdateQosProfileInput,
  expected?: VersionCondition,
  rollout?: RolloutOptionsInput,
) {
  requireRole(ctx, "OPERATOR");
  const patch = parseInput(ZUpdateQosProfileInput, input);
  let rows: OutboxRow[] = [];
  let name = patch.name;
  try {
    rows = await writeTransaction("qos-profile.update", async (tx) => {
      // The slices that use it first (the lock order), so their member set holds still;
      // then the profile, FOR NO KEY UPDATE: it does not wait for a slice save that
      // merely refers to the profile (the foreign key's KEY SHARE lock).
      const users = await tx.slice.findMany({ where: { tenantId: ctx.tenantId, qosProfileId: id }, select: { id: true } });
      await lockSlices(
        tx,
        ctx.tenantId,
        users.map((u) => u.id),
      );
      const locked = await tx.$queryRaw<Array<{ version: number }>>`
        SELECT "version" FROM "QosProfile" WHERE "tenantId" = ${ctx.tenantId} AND "id" = ${id} FOR NO KEY UPDATE`;
      if (locked.length === 0) throw new AppError("NOT_FOUND", "QoS profile not found");
      const before = await loadQosProfile(tx, ctx.tenantId, id);
      assertVersion(`QoS profile ${before.name}`, before.version, expected);
      const after = { ...auditedFields(before), ...patch, description: patch.description === undefined ? before.description : patch.description };
      name = after.name;
      const problem = guaranteedProblem(after);
      if (problem) throw fieldError("bandwidthGuaranteedKbps", problem);
      await tx.qosProfile.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { ...after, version: { increment: 1 } } });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "qos-profile.update",
        targetType: "qos-profile",
        targetId: id,
        before: auditedFields(before),
        after,
      });
      const members = await tx.sliceMember.findMany({
        where: { tenantId: ctx.tenantId, slice: { tenantId: ctx.tenantId, qosProfileId: id } },
        select: { clusterId: true },
      });
      return recordDeliveries(
        tx,
        ctx.tenantId,
        members.map((m) => m.clusterId),
        `qos-profile.update ${id}`,
        { rollout, actor: ctx.actor },
      );
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name ?? "", err);
    throw err;
  }
  const revisions = await deliverNow(rows);
  return { ...(await loadQosProfile(db(), ctx.tenantId, id)), revisions, rollout: await rolloutSummary(ctx.tenantId, rows) };
}
