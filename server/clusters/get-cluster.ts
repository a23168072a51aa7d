import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { CLUSTER_LIST_SELECT, freshest } from "./cluster-view";
import { readHotState } from "../hot-state/hot-state";
import { asLabels } from "../platform/labels";

export const clusterNotFound = () => new AppError("NOT_FOUND", "cluster not found");

/** Everything the cluster page shows: inventory, lease, live heartbeat state, revisions, recent events and acks. */
export async function getCluster(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const row = await db().cluster.findFirst({
    where: { id, tenantId: ctx.tenantId },
    select: {
      ...CLUSTER_LIST_SELECT,
      podCidrs: true,
      serviceCidrs: true,
      manualPodCidrs: true,
      manualServiceCidrs: true,
      gatewayEndpoints: true,
      components: true,
      lastHeartbeatSeq: true,
      version: true,
    },
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
    db().configRevision.findFirst({
      where: { tenantId: ctx.tenantId, clusterId: id },
      orderBy: { revision: "desc" },
      select: { revision: true, hash: true, createdAt: true },
    }),
  ]);
  const { slices, links } = await clusterSlicesAndLinks(ctx.tenantId, id);
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
    slices,
    links,
  };
}

/**
 * The slices this cluster is a member of, and each of its gateway links with the
 * slice and the cluster at the other end, so the page names them instead of ids.
 */
async function clusterSlicesAndLinks(tenantId: string, id: string) {
  const [memberships, rows] = await Promise.all([
    db().sliceMember.findMany({
      where: { tenantId, clusterId: id },
      select: { slice: { select: { id: true, name: true, topology: true, gatewayType: true } } },
      orderBy: { slice: { name: "asc" } },
    }),
    db().gatewayLink.findMany({
      where: { tenantId, OR: [{ serverClusterId: id }, { clientClusterId: id }] },
      select: { id: true, sliceId: true, serverClusterId: true, clientClusterId: true, slice: { select: { name: true } } },
    }),
  ]);
  const peerIds = [...new Set(rows.map((l) => (l.serverClusterId === id ? l.clientClusterId : l.serverClusterId)))];
  const peers = new Map(
    (await db().cluster.findMany({ where: { tenantId, id: { in: peerIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
  );
  return {
    slices: memberships.map((m) => ({ id: m.slice.id, name: m.slice.name, topology: String(m.slice.topology), gatewayType: String(m.slice.gatewayType) })),
    links: rows.map((l) => {
      const peerId = l.serverClusterId === id ? l.clientClusterId : l.serverClusterId;
      return {
        id: l.id,
        sliceId: l.sliceId,
        sliceName: l.slice.name,
        peerId,
        peerName: peers.get(peerId) ?? null,
        role: l.serverClusterId === id ? ("SERVER" as const) : ("CLIENT" as const),
      };
    }),
  };
}
