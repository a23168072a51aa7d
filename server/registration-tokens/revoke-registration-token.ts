import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";

/** Revoke a token (ADMIN+): it enrols nothing more. Clusters it enrolled keep their credentials. */
export async function revokeRegistrationToken(ctx: TenantContext, id: string) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const row = await tx.registrationToken.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { name: true, revokedAt: true } });
    if (!row) throw new AppError("NOT_FOUND", "registration token not found");
    if (row.revokedAt) return { ok: true as const };
    await tx.registrationToken.updateMany({ where: { id, tenantId: ctx.tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "registration-token.revoke",
      targetType: "registration-token",
      targetId: id,
      before: { name: row.name, revokedAt: null },
      after: { name: row.name, revokedAt: new Date() },
    });
    return { ok: true as const };
  });
}
