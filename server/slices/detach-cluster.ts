// When a cluster is deleted, the slices it belonged to must drop it everywhere their
// spec names it (members, hubs, pairs, namespaces, gateway overrides, exports), and
// their remaining members need new bundles without the links to it.
import type { TenantContext } from "../platform/context";
import type { Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import { loadSlice, specOf } from "./load-slice";
import { writeSlice } from "./save-slice";
import type { SliceSpec } from "./schema";

export function specWithout(spec: SliceSpec, name: string): { spec: SliceSpec; notes: string[] } {
  const notes: string[] = [];
  const members = spec.members.filter((m) => m !== name);
  let topology = spec.topology;
  if (topology.kind === "HUB_SPOKE") {
    const hubs = topology.hubs.filter((h) => h !== name);
    // A hub-spoke slice without a hub has no shape left; a full mesh keeps everyone connected.
    if (hubs.length === 0) notes.push(`its only hub ${name} was deleted: the topology is now a full mesh`);
    topology = hubs.length ? { kind: "HUB_SPOKE", hubs } : { kind: "FULL_MESH" };
  } else if (topology.kind === "CUSTOM") {
    topology = { kind: "CUSTOM", pairs: topology.pairs.filter(([a, b]) => a !== name && b !== name) };
  }
  const ns = (list: SliceSpec["namespaceIsolation"]["applicationNamespaces"]) =>
    list.flatMap((n) => {
      if (n.clusters.includes("*")) return [n];
      const clusters = n.clusters.filter((c) => c !== name);
      return clusters.length ? [{ ...n, clusters }] : [];
    });
  const { [name]: _dropped, ...overrides } = spec.gatewayService.overrides;
  return {
    spec: {
      ...spec,
      members,
      topology,
      gatewayService: { ...spec.gatewayService, overrides },
      namespaceIsolation: {
        ...spec.namespaceIsolation,
        applicationNamespaces: ns(spec.namespaceIsolation.applicationNamespaces),
        allowedNamespaces: ns(spec.namespaceIsolation.allowedNamespaces),
      },
      serviceExports: spec.serviceExports.filter((e) => e.sourceCluster !== name),
    },
    notes,
  };
}

/**
 * Inside the cluster deletion's transaction, with the slices and then the cluster locked
 * (the lock order): save each slice without the cluster, forced (peers may be offline).
 * Returns the remaining members, whose bundles lose the links to it.
 */
export async function detachClusterFromSlices(
  tx: Tx,
  ctx: TenantContext,
  sliceIds: readonly string[],
  cluster: { id: string; name: string },
): Promise<string[]> {
  const affected = new Set<string>();
  for (const id of sliceIds) {
    const stored = await loadSlice(tx, ctx.tenantId, id);
    const { spec, notes } = specWithout(specOf(stored), cluster.name);
    try {
      const written = await writeSlice(tx, ctx, { id, spec: () => spec, force: true, note: { detached: cluster.name, ...(notes.length ? { notes } : {}) } });
      written.affected.forEach((c) => affected.add(c));
    } catch (err) {
      // Every check of a slice write runs before it writes, so the transaction is intact.
      if (!(err instanceof AppError)) throw err;
      // The cluster is deleted either way; a slice that cannot be re-planned keeps its
      // other members' shares and links, stores a spec that no longer names the cluster,
      // and says why in the log, for an operator to fix by editing it.
      logger.error({ sliceId: id, err: err.message }, "slice could not be re-planned after a cluster deletion");
      await tx.slice.updateMany({
        where: { id, tenantId: ctx.tenantId },
        data: {
          topology: spec.topology,
          gatewayService: spec.gatewayService,
          namespaceIsolation: spec.namespaceIsolation,
          serviceExports: spec.serviceExports,
          version: { increment: 1 },
        },
      });
      stored.members.forEach((m) => affected.add(m.clusterId));
    }
  }
  affected.delete(cluster.id);
  return [...affected];
}
