import type { Role } from "../platform/roles";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";

/**
 * The caller's tenant and role. A tenant the caller is not a member of is NOT_FOUND,
 * exactly like one that does not exist: membership is never revealed.
 */
export async function resolveUserTenant(userId: string, slug: string): Promise<{ id: string; slug: string; name: string; role: Role }> {
  const m = await db().membership.findFirst({
    where: { userId, tenant: { slug } },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
  });
  if (!m) throw new AppError("NOT_FOUND", `tenant "${slug}" not found`);
  return { ...m.tenant, role: m.role };
}
