import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { parseInput, unknownCursor } from "../platform/validation";
import { clusterNotFound } from "./get-cluster";
import { ZClusterEventsInput, type ClusterEventsInput } from "./schema";

/** A cluster's events, newest first, cursor-paginated. */
export async function listClusterEvents(ctx: TenantContext, id: string, input: ClusterEventsInput = {}) {
  requireRole(ctx, "VIEWER");
  const f = parseInput(ZClusterEventsInput, input);
  const cluster = await db().cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } });
  if (!cluster) throw clusterNotFound();
  if (f.cursor && !(await db().event.findFirst({ where: { id: f.cursor, tenantId: ctx.tenantId, clusterId: id }, select: { id: true } }))) throw unknownCursor();
  const rows = await db().event.findMany({
    where: { tenantId: ctx.tenantId, clusterId: id },
    select: { id: true, type: true, severity: true, message: true, data: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}
