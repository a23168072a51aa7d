import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { assertKnownCursor, pageArgs, pageOf } from "../platform/pagination";
import { parseInput } from "../platform/validation";
import { clusterNotFound } from "./get-cluster";
import { ZClusterEventsInput, type ClusterEventsInput } from "./schema";

/** A cluster's events, newest first, cursor-paginated. */
export async function listClusterEvents(ctx: TenantContext, id: string, input: ClusterEventsInput = {}) {
  requireRole(ctx, "VIEWER");
  const f = parseInput(ZClusterEventsInput, input);
  const cluster = await db().cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } });
  if (!cluster) throw clusterNotFound();
  await assertKnownCursor(f.cursor, (cursor) => db().event.findFirst({ where: { id: cursor, tenantId: ctx.tenantId, clusterId: id }, select: { id: true } }));
  const rows = await db().event.findMany({
    where: { tenantId: ctx.tenantId, clusterId: id },
    select: { id: true, type: true, severity: true, message: true, data: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(f),
  });
  return pageOf(rows, f.limit);
}
