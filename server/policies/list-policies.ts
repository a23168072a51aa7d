import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { loadPolicy, POLICY_SELECT, viewOf } from "./load-policy";

/** Every policy of the tenant in evaluation order (lower priority first). */
export async function listPolicies(ctx: TenantContext) {
  const rows = await db().policy.findMany({ where: { tenantId: ctx.tenantId }, select: POLICY_SELECT, orderBy: [{ priority: "asc" }, { name: "asc" }] });
  return rows.map(viewOf);
}

export async function getPolicy(ctx: TenantContext, id: string) {
  return loadPolicy(db(), ctx.tenantId, id);
}
