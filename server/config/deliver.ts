import { ZBundle } from "../../protocol/index";
import { announceRevision, insertRevision, type PublishedRevision } from "./publish-revision";
import { db } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { parseInput } from "../platform/validation";
import type { Tx } from "../platform/db/client";
import { compileClusterBundle } from "../bundles/compile-bundle";

/** One cluster's bundle as committed now, validated against the wire contract. */
export async function compileDeliverable(tx: Tx, tenantId: string, clusterId: string) {
  return parseInput(ZBundle, await compileClusterBundle(tx, tenantId, clusterId));
}

/**
 * Compile one cluster's bundle from what is committed now and publish it as a revision
 * (an unchanged hash publishes nothing). Null when the cluster no longer exists.
 *
 * Deliveries of one cluster are serialised (a transaction-scoped advisory lock), and each
 * compiles only once it holds the lock: two deliverers can then never publish an older
 * compile after a newer one, whichever of them started first.
 */
export async function deliverCluster(tenantId: string, clusterId: string): Promise<PublishedRevision | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await db().$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:deliver:${clusterId}`}, 0))`;
          return insertRevision(tx, tenantId, clusterId, await compileDeliverable(tx, tenantId, clusterId));
        },
        { maxWait: 15_000, timeout: 30_000 },
      );
      if (result.created) await announceRevision(clusterId, result.revision);
      return result;
    } catch (err) {
      // Deleted before or while its bundle was compiled: nothing left to deliver to.
      if (err instanceof AppError && err.code === "NOT_FOUND") return null;
      // A publisher outside this path (enrolment) took the number first: compile again.
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}
