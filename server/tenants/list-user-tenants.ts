import { db } from "../platform/db/client";

export async function listUserTenants(userId: string) {
  const rows = await db().membership.findMany({
    where: { userId },
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { tenant: { name: "asc" } },
  });
  return rows.map((r) => ({ ...r.tenant, role: r.role }));
}
