import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { loadQosProfile, profileSelect, profileView } from "./load-qos-profile";

/** The tenant's QoS profiles by name, each with the slices that use it. */
export async function listQosProfiles(ctx: TenantContext) {
  requireRole(ctx, "VIEWER");
  const rows = await db().qosProfile.findMany({ where: { tenantId: ctx.tenantId }, select: profileSelect(ctx.tenantId), orderBy: { name: "asc" } });
  return rows.map(profileView);
}

/** One QoS profile with the slices that use it. */
export async function getQosProfile(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  return loadQosProfile(db(), ctx.tenantId, id);
}
