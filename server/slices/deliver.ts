import { publishRevision } from "../config/publish-revision";
import { db } from "../db/client";
import { logger } from "../logger";
import { compileClusterBundle } from "./compile-bundle";

/**
 * Recompile the bundles of these clusters and publish a revision for each one whose
 * bundle changed (an unchanged hash publishes nothing). Returns cluster id → revision.
 */
export async function deliverToClusters(tenantId: string, clusterIds: readonly string[]) {
  const revisions: Record<string, number> = {};
  for (const clusterId of [...new Set(clusterIds)].sort()) {
    const exists = await db().cluster.findFirst({ where: { id: clusterId, tenantId }, select: { id: true } });
    if (!exists) continue; // deleted meanwhile: nothing to deliver
    const bundle = await compileClusterBundle(db(), tenantId, clusterId);
    const published = await publishRevision(tenantId, clusterId, bundle);
    revisions[clusterId] = published.revision;
  }
  logger.debug({ tenantId, clusters: Object.keys(revisions).length }, "slice bundles delivered");
  return revisions;
}
