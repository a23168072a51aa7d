import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { asLabels } from "../platform/labels";
import { tokenRefusal, usesLeft } from "./token-state";

/** The tenant's registration tokens, newest first, with what is left of each and whether it still works. */
export async function listRegistrationTokens(ctx: TenantContext, now = new Date()) {
  requireRole(ctx, "ADMIN");
  const rows = await db().registrationToken.findMany({
    where: { tenantId: ctx.tenantId },
    select: {
      id: true,
      name: true,
      expiresAt: true,
      maxUses: true,
      uses: true,
      labels: true,
      siteType: true,
      lastUsedAt: true,
      revokedAt: true,
      createdAt: true,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  return rows.map((r) => {
    const reason = tokenRefusal(r, now);
    return { ...r, labels: asLabels(r.labels), usesLeft: usesLeft(r), redeemable: reason === null, reason };
  });
}
