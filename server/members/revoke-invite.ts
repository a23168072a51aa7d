import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";

export async function revokeInvite(ctx: TenantContext, inviteId: string) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const res = await tx.invite.updateMany({
      where: { id: inviteId, tenantId: ctx.tenantId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (res.count === 0) throw new AppError("NOT_FOUND", "invite not found");
    await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "member.invite.revoke", targetType: "invite", targetId: inviteId });
    return { ok: true as const };
  });
}
