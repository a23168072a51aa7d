import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { clusterNotFound } from "./get-cluster";

/** One revision of a cluster's desired state with its bundle (the console renders its manifests as YAML). */
export async function getClusterRevision(ctx: TenantContext, id: string, revision: number | "latest") {
  requireRole(ctx, "VIEWER");
  const cluster = await db().cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } });
  if (!cluster) throw clusterNotFound();
  const row = await db().configRevision.findFirst({
    where: { tenantId: ctx.tenantId, clusterId: id, ...(revision === "latest" ? {} : { revision }) },
    orderBy: { revision: "desc" },
    select: { revision: true, hash: true, bundle: true, createdAt: true },
  });
  if (!row) throw new AppError("NOT_FOUND", revision === "latest" ? "cluster has no revision yet" : `revision ${revision} not found`);
  return row;
}
