// Publishing desired state: a new immutable ConfigRevision when the bundle's content
// changed, then a wake-up on Redis so every process holding a long-poll for the
// cluster answers at once.
import { ZBundle, type Bundle } from "../../protocol/index";
import type { Tx } from "../platform/db/client";
import { db } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { logger } from "../platform/logger";
import { redis } from "../platform/redis";
import { parseInput } from "../platform/validation";
import { bundleHash } from "./bundle-hash";
import { configChannel } from "./keys";
import { raiseCachedRevision, raiseCachedRevisions } from "./revision-cache";

export interface PublishedRevision {
  revision: number;
  hash: string;
  /** False when the bundle equals the latest revision's: nothing new was written. */
  created: boolean;
}

/**
 * Write revision N+1 inside the caller's transaction unless the latest revision has the
 * same hash. Callers must announce a created revision after commit (announceRevision).
 */
export async function insertRevision(tx: Tx, tenantId: string, clusterId: string, bundle: Bundle): Promise<PublishedRevision> {
  const hash = bundleHash(bundle);
  const latest = await tx.configRevision.findFirst({ where: { clusterId, tenantId }, orderBy: { revision: "desc" }, select: { revision: true, hash: true } });
  if (latest?.hash === hash) return { revision: latest.revision, hash, created: false };
  const revision = (latest?.revision ?? 0) + 1;
  await tx.configRevision.create({ data: { tenantId, clusterId, revision, hash, bundle: bundle as object } });
  const updated = await tx.cluster.updateMany({ where: { id: clusterId, tenantId, desiredRevision: { lt: revision } }, data: { desiredRevision: revision } });
  if (updated.count === 0 && !(await tx.cluster.findFirst({ where: { id: clusterId, tenantId }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", "cluster not found");
  }
  return { revision, hash, created: true };
}

/** After commit: raise the cached latest revision and wake long-polls in every process. */
export async function announceRevision(clusterId: string, revision: number) {
  await raiseCachedRevision(clusterId, revision);
  await redis().publish(configChannel(clusterId), String(revision));
}

const ANNOUNCE_BATCH = 500;

/**
 * announceRevision for many clusters (a rollout's wave): the cache raises and the
 * wake-ups go in one pipeline per few hundred clusters instead of two round trips each,
 * so the last agent of a large wave is not woken after all the others' round trips.
 */
export async function announceRevisions(revisions: ReadonlyMap<string, number>) {
  const all = [...revisions];
  for (let i = 0; i < all.length; i += ANNOUNCE_BATCH) {
    const batch = all.slice(i, i + ANNOUNCE_BATCH);
    await raiseCachedRevisions(batch);
    const pipe = redis().pipeline();
    for (const [clusterId, revision] of batch) pipe.publish(configChannel(clusterId), String(revision));
    const results = (await pipe.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }
}

/**
 * Publish `bundle` as the cluster's desired state. An unchanged hash publishes nothing;
 * two publishers racing for the same number retry (unique (clusterId, revision)).
 */
export async function publishRevision(tenantId: string, clusterId: string, bundle: unknown): Promise<PublishedRevision> {
  const parsed = parseInput(ZBundle, bundle);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await db().$transaction((tx) => insertRevision(tx, tenantId, clusterId, parsed));
      if (result.created) {
        await announceRevision(clusterId, result.revision);
        logger.debug({ tenantId, clusterId, revision: result.revision }, "config revision published");
      }
      return result;
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}
