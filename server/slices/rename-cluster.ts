// Slice specs name clusters (hubs, pairs, namespace scopes, gateway overrides, export
// sources). A cluster rename rewrites those names in the same transaction, so a spec
// never names a cluster that no longer exists.
import type { Tx } from "../platform/db/client";
import { ZGatewayService, ZNamespaceIsolation, type ServiceExport } from "../bundles/stored-slice";
import { ZTopology, type SliceSpec } from "./schema";

type Renamable = Pick<SliceSpec, "topology" | "gatewayService" | "namespaceIsolation" | "serviceExports">;

export function specRenamed<T extends Renamable>(spec: T, from: string, to: string): T {
  const r = (n: string) => (n === from ? to : n);
  const t = spec.topology;
  const topology =
    t.kind === "HUB_SPOKE"
      ? { ...t, hubs: t.hubs.map(r) }
      : t.kind === "CUSTOM"
        ? { ...t, pairs: t.pairs.map(([a, b]) => [r(a), r(b)] as [string, string]) }
        : t;
  const ns = (list: SliceSpec["namespaceIsolation"]["applicationNamespaces"]) => list.map((n) => ({ ...n, clusters: n.clusters.map(r) }));
  const overrides = Object.fromEntries(Object.entries(spec.gatewayService.overrides).map(([k, v]) => [r(k), v]));
  return {
    ...spec,
    topology,
    gatewayService: { ...spec.gatewayService, overrides },
    namespaceIsolation: {
      ...spec.namespaceIsolation,
      applicationNamespaces: ns(spec.namespaceIsolation.applicationNamespaces),
      allowedNamespaces: ns(spec.namespaceIsolation.allowedNamespaces),
    },
    serviceExports: spec.serviceExports.map((e) => ({ ...e, sourceCluster: r(e.sourceCluster) })),
  };
}

/**
 * Rewrite the cluster's old name in every slice it belongs to (the caller holds their
 * locks, then the cluster's: see locks.ts). Returns the ids of all
 * members of those slices: their bundles carry the name and need a new revision.
 */
export async function renameClusterInSlices(tx: Tx, tenantId: string, clusterId: string, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  const slices = await tx.slice.findMany({
    where: { tenantId, members: { some: { clusterId } } },
    select: {
      id: true,
      topology: true,
      gatewayService: true,
      namespaceIsolation: true,
      serviceExports: true,
      members: { where: { tenantId }, select: { clusterId: true } },
    },
  });
  for (const s of slices) {
    const spec = specRenamed(
      {
        topology: ZTopology.parse(s.topology),
        gatewayService: ZGatewayService.parse(s.gatewayService),
        namespaceIsolation: ZNamespaceIsolation.parse(s.namespaceIsolation),
        serviceExports: s.serviceExports as ServiceExport[],
      },
      from,
      to,
    );
    await tx.slice.updateMany({ where: { id: s.id, tenantId }, data: { ...spec, version: { increment: 1 } } });
  }
  return [...new Set(slices.flatMap((s) => s.members.map((m) => m.clusterId)))];
}
