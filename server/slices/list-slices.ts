import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { linkStatuses } from "../gateways/link-health";
import { effectiveQos } from "../bundles/effective-qos";
import { loadSlice, specOf } from "./load-slice";

const MEMBER_SELECT = {
  clusterId: true,
  index: true,
  subnet: true,
  cluster: { select: { name: true, siteType: true, availability: true, desiredRevision: true, appliedRevision: true } },
} as const;

type MemberRow = {
  clusterId: string;
  index: number;
  subnet: string;
  cluster: { name: string; siteType: string; availability: string; desiredRevision: number; appliedRevision: number };
};

const memberView = (m: MemberRow) => ({
  clusterId: m.clusterId,
  clusterName: m.cluster.name,
  index: m.index,
  subnet: m.subnet,
  siteType: m.cluster.siteType,
  availability: m.cluster.availability,
  desiredRevision: m.cluster.desiredRevision,
  appliedRevision: m.cluster.appliedRevision,
  applied: m.cluster.appliedRevision >= m.cluster.desiredRevision && m.cluster.desiredRevision > 0,
});

/** Slices with convergence: how many members applied their latest revision, how many links are up. */
export async function listSlices(ctx: TenantContext) {
  requireRole(ctx, "VIEWER");
  const rows = await db().slice.findMany({
    where: { tenantId: ctx.tenantId },
    select: {
      id: true,
      name: true,
      description: true,
      subnet: true,
      gatewayType: true,
      topology: true,
      createdAt: true,
      members: { where: { tenantId: ctx.tenantId }, select: MEMBER_SELECT, orderBy: { index: "asc" } },
      links: { where: { tenantId: ctx.tenantId }, select: { id: true, serverClusterId: true, clientClusterId: true } },
    },
    orderBy: { name: "asc" },
  });
  const status = await linkStatuses(rows.flatMap((r) => r.links));
  return rows.map((r) => {
    const members = r.members.map(memberView);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      subnet: r.subnet,
      gatewayType: r.gatewayType,
      topologyKind: (r.topology as { kind: string }).kind,
      createdAt: r.createdAt,
      members,
      convergence: {
        clusters: members.length,
        clustersApplied: members.filter((m) => m.applied).length,
        links: r.links.length,
        linksUp: r.links.filter((l) => status.get(l.id)?.status === "UP").length,
      },
    };
  });
}

/** One slice: its spec, the QoS it runs with, members with shares and revisions, links with health. */
export async function getSlice(ctx: TenantContext, id: string) {
  requireRole(ctx, "VIEWER");
  const slice = await loadSlice(db(), ctx.tenantId, id);
  const members = await db().sliceMember.findMany({ where: { tenantId: ctx.tenantId, sliceId: id }, select: MEMBER_SELECT, orderBy: { index: "asc" } });
  const links = await listSliceLinks(ctx, id);
  const views = members.map(memberView);
  return {
    id: slice.id,
    spec: specOf(slice),
    effectiveQos: effectiveQos(slice),
    version: slice.version,
    createdAt: slice.createdAt,
    updatedAt: slice.updatedAt,
    members: views,
    links,
    convergence: {
      clusters: views.length,
      clustersApplied: views.filter((m) => m.applied).length,
      links: links.length,
      linksUp: links.filter((l) => l.status === "UP").length,
    },
  };
}

export async function listSliceLinks(ctx: TenantContext, sliceId: string) {
  requireRole(ctx, "VIEWER");
  await loadSlice(db(), ctx.tenantId, sliceId);
  const links = await db().gatewayLink.findMany({ where: { tenantId: ctx.tenantId, sliceId }, orderBy: { id: "asc" } });
  const names = new Map(
    (
      await db().cluster.findMany({
        where: { tenantId: ctx.tenantId, id: { in: links.flatMap((l) => [l.serverClusterId, l.clientClusterId]) } },
        select: { id: true, name: true, gatewayEndpoints: true },
      })
    ).map((c) => [c.id, c]),
  );
  const status = await linkStatuses(links);
  return links.map((l) => {
    const s = status.get(l.id);
    return {
      id: l.id,
      serverClusterId: l.serverClusterId,
      serverClusterName: names.get(l.serverClusterId)?.name ?? null,
      clientClusterId: l.clientClusterId,
      clientClusterName: names.get(l.clientClusterId)?.name ?? null,
      serverEndpoint: names.get(l.serverClusterId)?.gatewayEndpoints[0] ?? null,
      serverTunnelIp: l.serverTunnelIp,
      clientTunnelIp: l.clientTunnelIp,
      status: s?.status ?? "UNKNOWN",
      statusReason: s?.reason ?? null,
      endpointReachable: s?.endpointReachable ?? null,
      rttMs: s?.rttMs ?? null,
      lossPct: s?.lossPct ?? null,
      reportedAt: s?.reportedAt ?? null,
    };
  });
}
