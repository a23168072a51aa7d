// Every site (cluster) of a tenant with its health score and the factors behind it,
// worst first: the overview's answer to "which sites are unwell, and why".
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import type { LinkHealth } from "./evaluate";
import type { ListSitesInput } from "./schema";
import { siteScore } from "./score";

export async function listSites(ctx: TenantContext, input: ListSitesInput) {
  requireRole(ctx, "VIEWER");
  const sites = await siteScores(ctx.tenantId, input.siteType);
  return { items: sites.slice(0, input.limit), total: sites.length };
}

/** Every site of a tenant with its score, worst first (also read by alert rules). */
export async function siteScores(tenantId: string, siteType?: ListSitesInput["siteType"]) {
  const clusters = await db().cluster.findMany({
    where: { tenantId, ...(siteType ? { siteType } : {}) },
    select: {
      id: true,
      name: true,
      siteType: true,
      region: true,
      provider: true,
      latitude: true,
      longitude: true,
      availability: true,
      components: true,
      lastSeenAt: true,
    },
    orderBy: { name: "asc" },
  });
  // Every link end's evaluated state in one statement (a join, not a second query
  // that names all the tenant's link ids as parameters).
  const links = await db().$queryRaw<
    Array<{ serverClusterId: string; clientClusterId: string; status: LinkHealth | null; rttMs: number | null; lossPct: number | null }>
  >`
    SELECT l."serverClusterId", l."clientClusterId", s."status"::text AS "status", s."rttMs", s."lossPct"
    FROM "GatewayLink" l LEFT JOIN "GatewayLinkState" s ON s."linkId" = l."id" AND s."tenantId" = l."tenantId"
    WHERE l."tenantId" = ${tenantId}`;
  const byCluster = new Map<string, Array<{ status: LinkHealth; rttMs: number | null; lossPct: number | null }>>();
  for (const l of links) {
    const h = { status: l.status ?? "UNKNOWN", rttMs: l.rttMs, lossPct: l.lossPct };
    for (const id of [l.serverClusterId, l.clientClusterId]) {
      const list = byCluster.get(id);
      if (list) list.push(h);
      else byCluster.set(id, [h]);
    }
  }
  const sites = clusters.map((c) => {
    const siteLinks = byCluster.get(c.id) ?? [];
    const components = Array.isArray(c.components) ? (c.components as Array<{ name: string; status: string }>) : [];
    const s = siteScore({ availability: c.availability as "AVAILABLE" | "UNKNOWN" | "PENDING", components, links: siteLinks });
    const count = (st: LinkHealth) => siteLinks.filter((l) => l.status === st).length;
    return {
      id: c.id,
      name: c.name,
      siteType: c.siteType,
      region: c.region,
      provider: c.provider,
      latitude: c.latitude,
      longitude: c.longitude,
      availability: c.availability,
      lastSeenAt: c.lastSeenAt,
      score: s.score,
      factors: s.factors,
      summary: s.summary,
      links: {
        total: siteLinks.length,
        up: count("UP"),
        degraded: count("DEGRADED"),
        down: count("DOWN"),
        unknown: count("UNKNOWN"),
        flapping: count("FLAPPING"),
      },
    };
  });
  // Worst first; sites without a score (never reported) last.
  sites.sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || a.name.localeCompare(b.name));
  return sites;
}
