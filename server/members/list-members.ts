import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";

export async function listMembers(ctx: TenantContext) {
  const rows = await db().membership.findMany({
    where: { tenantId: ctx.tenantId },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, lastLoginAt: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, joinedAt: r.createdAt, lastLoginAt: r.user.lastLoginAt }));
}
