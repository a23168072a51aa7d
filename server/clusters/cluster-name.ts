// Cluster names are DNS labels, unique per tenant. An agent that does not name its
// cluster gets one derived from the cluster's uid; a taken name gets -2, -3, …
import type { Tx } from "../platform/db/client";

const MAX = 63;

export function nameFromUid(uid: string): string {
  const slug = uid
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 8);
  return slug ? `cluster-${slug}` : "cluster";
}

function withSuffix(base: string, n: number): string {
  const suffix = `-${n}`;
  return base.slice(0, MAX - suffix.length).replace(/-+$/, "") + suffix;
}

/** `base` if free in the tenant, else the first free `base-N` (N ≥ 2). Racing writers fail on the unique index and retry. */
export async function uniqueClusterName(tx: Tx, tenantId: string, base: string): Promise<string> {
  const stem = base.slice(0, 40);
  const taken = new Set((await tx.cluster.findMany({ where: { tenantId, name: { startsWith: stem } }, select: { name: true } })).map((r) => r.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = withSuffix(base, n);
    if (!taken.has(candidate)) return candidate;
  }
}
