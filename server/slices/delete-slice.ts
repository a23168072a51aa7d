import { requireRole } from "../auth/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { deliverToClusters } from "./deliver";
import { loadSlice, specOf } from "./load-slice";

/** Delete a slice; its former members get revisions without it. */
export async function deleteSlice(ctx: TenantContext, id: string) {
  requireRole(ctx, "OPERATOR");
  const former = await db().$transaction(async (tx) => {
    const slice = await loadSlice(tx, ctx.tenantId, id);
    await tx.slice.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "slice.delete", targetType: "slice", targetId: id, before: specOf(slice) as unknown as Record<string, unknown> });
    return slice.members.map((m) => m.clusterId);
  });
  const revisions = await deliverToClusters(ctx.tenantId, former);
  return { ok: true as const, revisions };
}
