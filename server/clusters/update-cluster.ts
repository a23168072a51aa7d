import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { deliverNow, recordDeliveries, type OutboxRow } from "../rollouts/outbox";
import { AppError, isUniqueViolation } from "../platform/errors";
import { lockCluster, lockClusterWithSlices, writeTransaction } from "../slices/locks";
import { renameClusterInSlices } from "../slices/rename-cluster";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { parseInput } from "../platform/validation";
import { clusterNotFound, getCluster } from "./get-cluster";
import { clustersToRedeliver } from "../policies/cluster-change";
import { asLabels } from "../platform/labels";
import { ZUpdateClusterInput, type UpdateClusterInput } from "./schema";

const EDITABLE = {
  name: true,
  labels: true,
  siteType: true,
  region: true,
  latitude: true,
  longitude: true,
  manualPodCidrs: true,
  manualServiceCidrs: true,
} as const;

/** Rename, relabel, or set the site facts of a cluster (OPERATOR+). Unchanged fields stay as they are. */
export async function updateCluster(ctx: TenantContext, id: string, patch: UpdateClusterInput, expected?: VersionCondition) {
  requireRole(ctx, "OPERATOR");
  const data = parseInput(ZUpdateClusterInput, patch);
  let rows: OutboxRow[] = [];
  try {
    rows = await writeTransaction("cluster.update", async (tx) => {
      // A rename rewrites the specs of the cluster's slices: lock them first, then the
      // cluster (the lock order of every slice writer).
      const locked = data.name !== undefined ? (await lockClusterWithSlices(tx, ctx.tenantId, id)).cluster : await lockCluster(tx, ctx.tenantId, id);
      if (!locked) throw clusterNotFound();
      assertVersion(`cluster ${locked.name}`, locked.version, expected);
      const before = await tx.cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: EDITABLE });
      if (!before) throw clusterNotFound();
      const after = await tx.cluster.update({ where: { id, tenantId: ctx.tenantId }, data: { ...data, version: { increment: 1 } }, select: EDITABLE });
      // Slice specs and bundles name clusters: a rename rewrites them in this transaction.
      const affected = await renameClusterInSlices(tx, ctx.tenantId, id, before.name, after.name);
      // Policies select clusters by name, label and site type: those it starts or stops matching recompile.
      affected.push(...(await clustersToRedeliver(tx, ctx.tenantId, id, before, after)));
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "cluster.update",
        targetType: "cluster",
        targetId: id,
        before: { ...before, labels: asLabels(before.labels) },
        after: { ...after, labels: asLabels(after.labels) },
      });
      return recordDeliveries(tx, ctx.tenantId, affected, `cluster.rename ${id}`, { actor: ctx.actor });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        "CONFLICT",
        `name: a cluster named "${data.name}" already exists in this tenant`,
        { fieldErrors: { name: ["is already taken"] } },
        { cause: err },
      );
    }
    throw err;
  }
  await deliverNow(rows);
  return getCluster(ctx, id);
}
