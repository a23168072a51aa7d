// Every site (cluster) of a tenant with its health score and the factors behind it,
// worst first: the overview's answer to "which sites are unwell, and why".
import { requireRole } from "../auth/roles";
import type { TenantContext } from "../context";
import { db } from "../db/client";
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
    select: { id: true, name: true, siteType: true, region: true, provider: true, latitude: true, longitude: true, availability: true, components: true, lastSeenAt: true },
    orderBy: { name: "asc" },
  });
  const links = await db().gatewayLink.findMany({
    where: { tenantId },
    select: { id: true, serverClusterId: true, clientClusterId: true, health: { select: { status: true, rttMs: true, lossPct: true } } },
  });
  const byCluster = new Map<string, Array<{ status: LinkHealth; rttMs: number | null; lossPct: number | null }>>();
  for (const l of links) {
    const h = { status: (l.health?.status ?? "UNKNOWN") as LinkHealth, rttMs: l.health?.rttMs ?? null, lossPct: l.health?.lossPct ?? null };
    for (const id of [l.serverClusterId, l.clientClusterId]) byCluster.set(id, [...(byCluster.get(id) ?? []), h]);
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
      links: { total: siteLinks.length, up: count("UP"), degraded: count("DEGRADED"), down: count("DOWN"), unknown: count("UNKNOWN"), flapping: count("FLAPPING") },
    };
  });
  // Worst first; sites without a score (never reported) last.
  sites.sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || a.name.localeCompare(b.name));
  return sites;
}
