import { requireRole } from "../auth/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { AppError, isUniqueViolation } from "../errors";
import { deliverToClusters } from "../slices/deliver";
import { renameClusterInSlices } from "../slices/rename-cluster";
import { parseInput } from "../validation";
import { clusterNotFound, getCluster } from "./get-cluster";
import { asLabels } from "./labels";
import { ZUpdateClusterInput, type UpdateClusterInput } from "./schema";

const EDITABLE = { name: true, labels: true, siteType: true, region: true, latitude: true, longitude: true } as const;

/** Rename, relabel, or set the site facts of a cluster (OPERATOR+). Unchanged fields stay as they are. */
export async function updateCluster(ctx: TenantContext, id: string, patch: UpdateClusterInput) {
  requireRole(ctx, "OPERATOR");
  const data = parseInput(ZUpdateClusterInput, patch);
  let affected: string[] = [];
  try {
    await db().$transaction(async (tx) => {
      const before = await tx.cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: EDITABLE });
      if (!before) throw clusterNotFound();
      const after = await tx.cluster.update({ where: { id, tenantId: ctx.tenantId }, data, select: EDITABLE });
      // Slice specs and bundles name clusters: a rename rewrites them in this transaction.
      affected = await renameClusterInSlices(tx, ctx.tenantId, id, before.name, after.name);
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "cluster.update",
        targetType: "cluster",
        targetId: id,
        before: { ...before, labels: asLabels(before.labels) },
        after: { ...after, labels: asLabels(after.labels) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("CONFLICT", `name: a cluster named "${data.name}" already exists in this tenant`, { fieldErrors: { name: ["is already taken"] } }, { cause: err });
    }
    throw err;
  }
  if (affected.length) await deliverToClusters(ctx.tenantId, affected);
  return getCluster(ctx, id);
}
