// When a cluster is deleted, the slices it belonged to must drop it everywhere their
// spec names it (members, hubs, pairs, namespaces, gateway overrides, exports), and
// their remaining members need new bundles without the links to it.
import type { TenantContext } from "../context";
import { db, type Tx } from "../db/client";
import { logger } from "../logger";
import { loadSlice, specOf } from "./load-slice";
import { saveSlice } from "./save-slice";
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
      namespaceIsolation: { ...spec.namespaceIsolation, applicationNamespaces: ns(spec.namespaceIsolation.applicationNamespaces), allowedNamespaces: ns(spec.namespaceIsolation.allowedNamespaces) },
      serviceExports: spec.serviceExports.filter((e) => e.sourceCluster !== name),
    },
    notes,
  };
}

/** The slices a cluster belongs to, with their specs minus that cluster. Read before deleting it. */
export async function slicesWithout(ctx: TenantContext, clusterId: string, clusterName: string) {
  const memberships = await db().sliceMember.findMany({ where: { tenantId: ctx.tenantId, clusterId }, select: { sliceId: true } });
  const out: Array<{ id: string; spec: SliceSpec; notes: string[] }> = [];
  for (const { sliceId } of memberships) {
    const slice = await loadSlice(db(), ctx.tenantId, sliceId);
    out.push({ id: sliceId, ...specWithout(specOf(slice), clusterName) });
  }
  return out;
}

/** Inside the deletion's transaction: store the specs without the cluster, so they stay valid. */
export async function storeSpecsWithout(tx: Tx, tenantId: string, slices: Array<{ id: string; spec: SliceSpec }>) {
  for (const { id, spec } of slices) {
    await tx.slice.updateMany({
      where: { id, tenantId },
      data: { topology: spec.topology, gatewayService: spec.gatewayService, namespaceIsolation: spec.namespaceIsolation, serviceExports: spec.serviceExports },
    });
  }
}

/** After the cluster is gone: save each slice without it (forced: peers may be offline). */
export async function reapplySlices(ctx: TenantContext, slices: Array<{ id: string; spec: SliceSpec; notes: string[] }>) {
  for (const s of slices) {
    try {
      await saveSlice(ctx, { id: s.id, spec: s.spec, force: true });
    } catch (err) {
      // The cluster is deleted either way; a slice that cannot be re-planned keeps its
      // last revisions and says why in the log, for an operator to fix by editing it.
      logger.error({ sliceId: s.id, err: (err as Error).message }, "slice could not be re-planned after a cluster deletion");
    }
  }
}
