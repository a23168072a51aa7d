// The gateway links of a tenant, one page at a time: evaluated status and since from
// GatewayLinkState, live RTT/loss/throughput and each end's report from the hot state.
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { Prisma } from "../platform/db/generated/client";
import { linkStatuses } from "./link-health";
import type { ListGatewaysInput } from "./schema";
import { statusWhere } from "./status-filter";
import { readGatewaySettings } from "./settings";

export async function listGateways(ctx: TenantContext, input: ListGatewaysInput) {
  requireRole(ctx, "VIEWER");
  const where: Prisma.GatewayLinkWhereInput = { tenantId: ctx.tenantId };
  if (input.sliceId) where.sliceId = input.sliceId;
  if (input.linkId) where.id = input.linkId;
  if (input.siteType) {
    const ids = (await db().cluster.findMany({ where: { tenantId: ctx.tenantId, siteType: input.siteType }, select: { id: true } })).map((c) => c.id);
    where.OR = [{ serverClusterId: { in: ids } }, { clientClusterId: { in: ids } }];
  }
  if (input.status) where.AND = [statusWhere(input.status)];
  const rows = await db().gatewayLink.findMany({
    where,
    select: {
      id: true,
      sliceId: true,
      serverClusterId: true,
      clientClusterId: true,
      createdAt: true,
      slice: { select: { name: true } },
      health: { select: { status: true, reason: true, since: true, updatedAt: true } },
    },
    orderBy: { id: "asc" },
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  const clusterIds = [...new Set(page.flatMap((l) => [l.serverClusterId, l.clientClusterId]))];
  const clusters = new Map(
    (
      await db().cluster.findMany({
        where: { tenantId: ctx.tenantId, id: { in: clusterIds } },
        select: { id: true, name: true, siteType: true, leaseDurationSeconds: true },
      })
    ).map((c) => [c.id, c]),
  );
  const settings = await readGatewaySettings(ctx.tenantId);
  const live = await linkStatuses(page, Date.now(), (l) => ({
    freshMs: 3 * 1000 * Math.max(clusters.get(l.serverClusterId)?.leaseDurationSeconds ?? 15, clusters.get(l.clientClusterId)?.leaseDurationSeconds ?? 15),
    degradedLossPct: settings.degradedLossPct,
    degradedRttMs: settings.degradedRttMs,
  }));
  const max = (xs: Array<number | undefined>) => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? Math.max(...v) : null;
  };
  return {
    items: page.map((l) => {
      const s = live.get(l.id)!;
      const ends = Object.values(s.ends);
      return {
        id: l.id,
        sliceId: l.sliceId,
        sliceName: l.slice.name,
        status: l.health?.status ?? s.status,
        reason: l.health?.reason ?? s.reason,
        rttMs: s.rttMs,
        lossPct: s.lossPct,
        rxBps: max(ends.map((e) => e.rxBps)),
        txBps: max(ends.map((e) => e.txBps)),
        ends: [l.serverClusterId, l.clientClusterId].map((id, i) => {
          const c = clusters.get(id);
          const e = s.ends[id];
          return {
            clusterId: id,
            clusterName: c?.name ?? id,
            siteType: c?.siteType ?? "CLOUD",
            role: i === 0 ? ("server" as const) : ("client" as const),
            status: e?.status ?? "UNKNOWN",
            reportedAt: e ? new Date(e.at) : null,
          };
        }),
        since: l.health?.since ?? l.createdAt,
        updatedAt: s.reportedAt ?? l.health?.updatedAt ?? l.createdAt,
      };
    }),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
