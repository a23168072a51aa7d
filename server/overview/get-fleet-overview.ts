// What the overview page shows about the fleet: clusters per site type and
// availability, slices converged, and the latest warnings. Aggregates in the database;
// no page of rows is loaded.
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { listSlices } from "../slices/list-slices";

const SITES = ["EDGE", "CLOUD", "ONPREM"] as const;
const STATES = ["AVAILABLE", "UNKNOWN", "PENDING"] as const;

export async function getFleetOverview(ctx: TenantContext) {
  requireRole(ctx, "VIEWER");
  const groups = await db().cluster.groupBy({ by: ["siteType", "availability"], where: { tenantId: ctx.tenantId }, _count: { _all: true } });
  const sites = SITES.map((site) => {
    const counts = Object.fromEntries(STATES.map((s) => [s, groups.find((g) => g.siteType === site && g.availability === s)?._count._all ?? 0])) as Record<
      (typeof STATES)[number],
      number
    >;
    return { siteType: site, total: STATES.reduce((n, s) => n + counts[s], 0), ...counts };
  });
  const converged = await db().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*)::bigint AS n FROM "Cluster" WHERE "tenantId" = ${ctx.tenantId} AND "desiredRevision" > 0 AND "appliedRevision" >= "desiredRevision"`;
  const slices = await listSlices(ctx);
  const warnings = await db().event.findMany({
    // Open warnings only: a cluster that came back resolves its "UNKNOWN" warning.
    where: { tenantId: ctx.tenantId, severity: { in: ["WARNING", "CRITICAL"] }, resolvedAt: null, createdAt: { gte: new Date(Date.now() - 24 * 3600_000) } },
    select: { id: true, type: true, severity: true, message: true, clusterId: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 8,
  });
  const total = sites.reduce((n, s) => n + s.total, 0);
  return {
    clusters: {
      total,
      available: sites.reduce((n, s) => n + s.AVAILABLE, 0),
      unknown: sites.reduce((n, s) => n + s.UNKNOWN, 0),
      pending: sites.reduce((n, s) => n + s.PENDING, 0),
      converged: Number(converged[0]?.n ?? 0),
      sites,
    },
    slices: {
      total: slices.length,
      converged: slices.filter((s) => s.convergence.clustersApplied === s.convergence.clusters && s.convergence.linksUp === s.convergence.links).length,
      linksUp: slices.reduce((n, s) => n + s.convergence.linksUp, 0),
      links: slices.reduce((n, s) => n + s.convergence.links, 0),
      // What "2/3 converged" is missing: the slices behind it (the page links each to its links not up).
      notConverged: slices
        .filter((s) => !(s.convergence.clustersApplied === s.convergence.clusters && s.convergence.linksUp === s.convergence.links))
        .slice(0, 5)
        .map((s) => ({ id: s.id, name: s.name, ...s.convergence })),
    },
    warnings,
  };
}
