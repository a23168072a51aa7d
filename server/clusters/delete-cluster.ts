// Deleting a cluster removes it with its credentials, revisions, acks and events. Its
// agent gets 401 at its next call: the revocation is announced to every process.
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { forgetCachedRevision } from "../config/revision-cache";
import { deliverNow, recordDeliveries } from "../rollouts/outbox";
import { logger } from "../platform/logger";
import { redis } from "../platform/redis";
import { detachClusterFromSlices } from "../slices/detach-cluster";
import { lockClusterWithSlices, writeTransaction } from "../slices/locks";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { announceCredentialRevocation } from "./credential-cache";
import { writeEvents } from "../events/events";
import { clusterNotFound } from "./get-cluster";
import { hotStateKey } from "../hot-state/keys";
import { DIRTY_CLUSTERS_KEY } from "./keys";

export async function deleteCluster(ctx: TenantContext, id: string, expected?: VersionCondition) {
  requireRole(ctx, "ADMIN");
  const { credentialIds, rows } = await writeTransaction("cluster.delete", async (tx) => {
    // Its slices first, then the cluster itself: the lock order every slice writer keeps,
    // so a slice save that includes it either commits before (and is re-planned here)
    // or waits and then finds it gone.
    const { cluster: locked, sliceIds } = await lockClusterWithSlices(tx, ctx.tenantId, id);
    if (!locked) throw clusterNotFound();
    assertVersion(`cluster ${locked.name}`, locked.version, expected);
    const cluster = await tx.cluster.findFirst({
      where: { id, tenantId: ctx.tenantId },
      select: { id: true, name: true, uid: true, siteType: true, labels: true },
    });
    if (!cluster) throw clusterNotFound();
    // The remaining members get bundles without the links to it.
    const affected = await detachClusterFromSlices(tx, ctx, sliceIds, cluster);
    const creds = await tx.agentCredential.findMany({ where: { tenantId: ctx.tenantId, clusterId: id }, select: { id: true } });
    await tx.cluster.delete({ where: { id, tenantId: ctx.tenantId } });
    // Links are not foreign-keyed to clusters; the re-plan above dropped those of slices it could re-plan.
    await tx.gatewayLink.deleteMany({ where: { tenantId: ctx.tenantId, OR: [{ serverClusterId: id }, { clientClusterId: id }] } });
    // Kept without the cluster id (its own events go with it), so the tenant's event list says what happened.
    await writeEvents(tx, [
      {
        tenantId: ctx.tenantId,
        clusterId: null,
        type: "cluster.deleted",
        message: `${cluster.name} was deleted by ${ctx.actor.label}`,
        data: { clusterId: id, uid: cluster.uid },
      },
    ]);
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "cluster.delete",
      targetType: "cluster",
      targetId: id,
      before: { name: cluster.name, uid: cluster.uid, siteType: cluster.siteType, labels: cluster.labels },
    });
    const rows = await recordDeliveries(tx, ctx.tenantId, affected, `cluster.delete ${id}`, { actor: ctx.actor });
    return { credentialIds: creds.map((c) => c.id), rows };
  });
  // Committed: what follows is best effort and never fails the request (a revoked
  // credential is refused by Postgres anyway once the caches expire; the outbox
  // delivers what the fast path does not).
  try {
    await announceCredentialRevocation(credentialIds);
    await redis().multi().del(hotStateKey(id)).srem(DIRTY_CLUSTERS_KEY, id).exec();
    await forgetCachedRevision(id);
  } catch (err) {
    logger.error({ clusterId: id, err: (err as Error).message }, "cluster deleted, but its caches could not be cleared");
  }
  await deliverNow(rows);
  return { ok: true as const };
}
