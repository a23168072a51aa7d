import { publishRevision } from "../config/publish-revision";
import { db } from "../db/client";
import { AppError } from "../errors";
import { logger } from "../logger";
import { compileClusterBundle } from "./compile-bundle";

// Bundles are independent per cluster; a few at once keeps the pool busy without
// starving other requests of connections (the pool holds 10).
const CONCURRENCY = 4;

/**
 * Recompile the bundles of these clusters and publish a revision for each one whose
 * bundle changed (an unchanged hash publishes nothing). Returns cluster id → revision.
 */
export async function deliverToClusters(tenantId: string, clusterIds: readonly string[]) {
  const queue = [...new Set(clusterIds)].sort();
  const revisions: Record<string, number> = {};
  const work = async () => {
    for (let clusterId = queue.shift(); clusterId; clusterId = queue.shift()) {
      try {
        const bundle = await compileClusterBundle(db(), tenantId, clusterId);
        revisions[clusterId] = (await publishRevision(tenantId, clusterId, bundle)).revision;
      } catch (err) {
        // Deleted before or while its bundle was compiled: nothing left to deliver to.
        if (!(err instanceof AppError && err.code === "NOT_FOUND")) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, work));
  logger.debug({ tenantId, clusters: Object.keys(revisions).length }, "slice bundles delivered");
  return Object.fromEntries(Object.entries(revisions).sort(([a], [b]) => (a < b ? -1 : 1)));
}
