// The links the gateways world map draws: every link of a tenant (or of the filter) as
// its two ends and evaluated status, worst first. Light on purpose (no hot-state read per
// link, unlike the links list): the map aggregates them by site and draws a bounded
// number of arcs, so a fleet of 2,000 links costs one indexed query.
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import type { Prisma } from "../platform/db/generated/client";
import type { LinkHealth } from "./evaluate";
import type { MapLinksInput } from "./schema";
import { statusWhere } from "./status-filter";

/** Worst first on the map: the arcs it leaves out are the healthy ones. */
export const HEALTH_RANK: Record<LinkHealth, number> = { DOWN: 0, FLAPPING: 1, DEGRADED: 2, UNKNOWN: 3, UP: 4 };

export async function mapLinks(ctx: TenantContext, input: MapLinksInput) {
  requireRole(ctx, "VIEWER");
  const where: Prisma.GatewayLinkWhereInput = { tenantId: ctx.tenantId };
  if (input.sliceId) where.sliceId = input.sliceId;
  if (input.siteType) {
    const ids = (await db().cluster.findMany({ where: { tenantId: ctx.tenantId, siteType: input.siteType }, select: { id: true } })).map((c) => c.id);
    where.OR = [{ serverClusterId: { in: ids } }, { clientClusterId: { in: ids } }];
  }
  if (input.status) where.AND = [statusWhere(input.status)];
  const rows = await db().gatewayLink.findMany({
    where,
    select: { id: true, serverClusterId: true, clientClusterId: true, health: { select: { status: true } } },
  });
  const items = rows.map((l) => ({ id: l.id, a: l.serverClusterId, b: l.clientClusterId, status: (l.health?.status ?? "UNKNOWN") as LinkHealth }));
  items.sort((x, y) => HEALTH_RANK[x.status] - HEALTH_RANK[y.status] || x.id.localeCompare(y.id));
  return { items: items.slice(0, input.limit), total: items.length };
}
