// A cluster renamed, relabelled or given another site type can start or stop matching
// policies' cluster selectors: the clusters those policies touch must be compiled again.
import type { Tx } from "../platform/db/client";
import { clusterMatches } from "../netpol/compile";
import { loadFleet } from "../netpol/fleet";
import { touchedClusters } from "./save-policy";

type Facts = { name: string; labels: unknown; siteType: "EDGE" | "CLOUD" | "ONPREM" };

/** Inside the cluster writer's transaction, after its update: the clusters to deliver again. */
export async function clustersToRedeliver(tx: Tx, tenantId: string, clusterId: string, before: Facts, after: Facts): Promise<string[]> {
  const as = (f: Facts) => ({ name: f.name, siteType: f.siteType, labels: (f.labels ?? {}) as Record<string, string> });
  const b = as(before);
  const a = as(after);
  if (b.name === a.name && b.siteType === a.siteType && JSON.stringify(b.labels) === JSON.stringify(a.labels)) return [];
  const fleet = await loadFleet(tx, tenantId);
  const out = new Set<string>();
  for (const p of fleet.policies) {
    if (!p.enabled) continue;
    const was = clusterMatches(p.from.clusters, b) || clusterMatches(p.to.clusters, b);
    const is = clusterMatches(p.from.clusters, a) || clusterMatches(p.to.clusters, a);
    if (!was && !is) continue;
    if (
      was !== is ||
      clusterMatches(p.from.clusters, b) !== clusterMatches(p.from.clusters, a) ||
      clusterMatches(p.to.clusters, b) !== clusterMatches(p.to.clusters, a)
    ) {
      for (const id of touchedClusters(fleet, p)) out.add(id);
      out.add(clusterId);
    }
  }
  return [...out];
}
