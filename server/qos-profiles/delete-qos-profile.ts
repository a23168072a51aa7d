import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError, isForeignKeyViolation } from "../platform/errors";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { auditedFields } from "./create-qos-profile";
import { loadQosProfile } from "./load-qos-profile";

function inUse(name: string, slices: Array<{ name: string }>, cause?: unknown) {
  const list = slices.map((s) => s.name).join(", ");
  return new AppError(
    "CONFLICT",
    `QoS profile ${name} is used by ${slices.length === 1 ? "slice" : "slices"} ${list}: give ${slices.length === 1 ? "it" : "them"} another profile or inline QoS first`,
    undefined,
    { cause },
  );
}

/** Delete a QoS profile that no slice uses; one in use is refused, naming the slices. */
export async function deleteQosProfile(ctx: TenantContext, id: string, expected?: VersionCondition) {
  requireRole(ctx, "OPERATOR");
  try {
    await db().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "QosProfile" WHERE "tenantId" = ${ctx.tenantId} AND "id" = ${id} FOR UPDATE`;
      if (locked.length === 0) throw new AppError("NOT_FOUND", "QoS profile not found");
      const profile = await loadQosProfile(tx, ctx.tenantId, id);
      assertVersion(`QoS profile ${profile.name}`, profile.version, expected);
      if (profile.slices.length > 0) throw inUse(profile.name, profile.slices);
      await tx.qosProfile.deleteMany({ where: { id, tenantId: ctx.tenantId } });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "qos-profile.delete",
        targetType: "qos-profile",
        targetId: id,
        before: auditedFields(profile),
      });
    });
  } catch (err) {
    // Postgres refuses the delete (ON DELETE RESTRICT) when a slice started using the
    // profile after the check above.
    if (!isForeignKeyViolation(err)) throw err;
    const profile = await loadQosProfile(db(), ctx.tenantId, id);
    throw inUse(profile.name, profile.slices, err);
  }
  return { ok: true as const };
}
