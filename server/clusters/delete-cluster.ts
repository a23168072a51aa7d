// Deleting a cluster removes it with its credentials, revisions, acks and events. Its
// agent gets 401 at its next call: the revocation is announced to every process.
import { requireRole } from "../auth/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../context";
import { forgetCachedRevision } from "../config/revision-cache";
import { db } from "../db/client";
import { redis } from "../redis";
import { reapplySlices, slicesWithout, storeSpecsWithout } from "../slices/detach-cluster";
import { announceCredentialRevocation } from "./credential-cache";
import { writeEvents } from "./events";
import { clusterNotFound } from "./get-cluster";
import { DIRTY_CLUSTERS_KEY, hotStateKey } from "./keys";

export async function deleteCluster(ctx: TenantContext, id: string) {
  requireRole(ctx, "ADMIN");
  const named = await db().cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { name: true } });
  // Read before the delete: the slices it belonged to, with their specs minus it.
  const slices = named ? await slicesWithout(ctx, id, named.name) : [];
  const credentialIds = await db().$transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true, name: true, uid: true, siteType: true, labels: true } });
    if (!cluster) throw clusterNotFound();
    const creds = await tx.agentCredential.findMany({ where: { tenantId: ctx.tenantId, clusterId: id }, select: { id: true } });
    await tx.cluster.delete({ where: { id, tenantId: ctx.tenantId } });
    // Links are not foreign-keyed to clusters; the re-plan below also drops them, this keeps no dangling row meanwhile.
    await tx.gatewayLink.deleteMany({ where: { tenantId: ctx.tenantId, OR: [{ serverClusterId: id }, { clientClusterId: id }] } });
    await storeSpecsWithout(tx, ctx.tenantId, slices);
    // Kept without the cluster id (its own events go with it), so the tenant's event list says what happened.
    await writeEvents(tx, [{ tenantId: ctx.tenantId, clusterId: null, type: "cluster.deleted", message: `${cluster.name} was deleted by ${ctx.actor.label}`, data: { clusterId: id, uid: cluster.uid } }]);
    await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "cluster.delete", targetType: "cluster", targetId: id, before: { name: cluster.name, uid: cluster.uid, siteType: cluster.siteType, labels: cluster.labels } });
    return creds.map((c) => c.id);
  });
  await announceCredentialRevocation(credentialIds);
  await redis().multi().del(hotStateKey(id)).srem(DIRTY_CLUSTERS_KEY, id).exec();
  await forgetCachedRevision(id);
  // The remaining members get bundles without the links to it.
  await reapplySlices(ctx, slices);
  return { ok: true as const };
}
