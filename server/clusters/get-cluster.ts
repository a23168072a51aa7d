import { requireRole } from "../auth/roles";
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { AppError } from "../errors";
import { CLUSTER_LIST_SELECT, freshest } from "./cluster-view";
import { readHotState } from "./hot-state";
import { asLabels } from "./labels";

export const clusterNotFound = () => new AppError("NOT_FOUND", "cluster not found");

/** Everything the cluster page shows: inventory, lease, live heartbeat state, revisions, recent events and acks. */
export async function getCluster(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const row = await db().cluster.findFirst({
    where: { id, tenantId: ctx.tenantId },
    select: { ...CLUSTER_LIST_SELECT, podCidrs: true, serviceCidrs: true, manualPodCidrs: true, manualServiceCidrs: true, gatewayEndpoints: true, components: true, lastHeartbeatSeq: true, version: true },
  });
  if (!row) throw clusterNotFound();
  const [hot, events, acks, desired] = await Promise.all([
    readHotState(id),
    db().event.findMany({
      where: { tenantId: ctx.tenantId, clusterId: id },
      select: { id: true, type: true, severity: true, message: true, data: true, createdAt: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
    }),
    db().configAck.findMany({
      where: { tenantId: ctx.tenantId, clusterId: id },
      select: { id: true, revision: true, hash: true, status: true, message: true, createdAt: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 10,
    }),
    db().configRevision.findFirst({ where: { tenantId: ctx.tenantId, clusterId: id }, orderBy: { revision: "desc" }, select: { revision: true, hash: true, createdAt: true } }),
  ]);
  const { lastHeartbeatSeq, components, ...rest } = row;
  return {
    ...rest,
    labels: asLabels(row.labels),
    lastSeenAt: freshest(row.lastSeenAt, hot?.lastSeenAt.getTime()),
    converged: row.appliedRevision >= row.desiredRevision,
    components: (hot?.components ?? components) as Array<{ name: string; status: string; message?: string }>,
    heartbeat: hot
      ? { seq: hot.seq, lastSeenAt: hot.lastSeenAt, reportedAppliedRevision: hot.reportedAppliedRevision, gateways: hot.gateways }
      : { seq: Number(lastHeartbeatSeq), lastSeenAt: row.lastSeenAt, reportedAppliedRevision: null, gateways: [] },
    latestRevision: desired,
    events,
    acks,
  };
}
