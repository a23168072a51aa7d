import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";

/** Open invites (not accepted, not revoked, not expired). */
export async function listInvites(ctx: TenantContext) {
  requireRole(ctx, "ADMIN");
  return db().invite.findMany({
    where: { tenantId: ctx.tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}
