// What policy validation, delivery and the preview need to know about the tenant's
// clusters, slices and policies, read in a few queries.
import type { Tx } from "../platform/db/client";
import type { Namespace } from "./engine/types";
import type { FleetCluster, SliceMembers } from "./compile";
import { ZStoredPorts, ZStoredSide, type PolicyRule } from "./rules";
import { ZAppInventory, type AppInventory } from "../../protocol/app-inventory";

export interface FleetClusterInfo extends FleetCluster {
  /** Namespaces with labels (from the application inventory, else names only); null when not reported. */
  namespaces: Namespace[] | null;
  inventory: AppInventory | null;
}

export interface Fleet {
  clusters: FleetClusterInfo[];
  slices: Array<SliceMembers & { posture: "ALLOW_WITHIN_SLICE" | "DENY_BY_DEFAULT"; links: Array<{ a: string; b: string }> }>;
  policies: PolicyRule[];
}

export const POLICY_ROW = { id: true, name: true, enabled: true, priority: true, action: true, sliceId: true, from: true, to: true, ports: true } as const;

/** A stored policy row (its selectors and ports still JSON) as the compiler's PolicyRule. */
export function ruleOf(row: Omit<PolicyRule, "from" | "to" | "ports"> & { from: unknown; to: unknown; ports: unknown }): PolicyRule {
  return { ...row, from: ZStoredSide.parse(row.from), to: ZStoredSide.parse(row.to), ports: ZStoredPorts.parse(row.ports) };
}

export function namespacesOf(c: { reportedNamespaces: unknown; appInventory: unknown }): { namespaces: Namespace[] | null; inventory: AppInventory | null } {
  const inv = c.appInventory ? ZAppInventory.safeParse(c.appInventory) : null;
  if (inv?.success) return { namespaces: inv.data.namespaces.map((n) => ({ name: n.name, labels: n.labels })), inventory: inv.data };
  if (Array.isArray(c.reportedNamespaces)) return { namespaces: (c.reportedNamespaces as string[]).map((name) => ({ name, labels: {} })), inventory: null };
  return { namespaces: null, inventory: null };
}

const CLUSTER_SELECT = { id: true, name: true, labels: true, siteType: true, adminNetworkPolicy: true, reportedNamespaces: true, appInventory: true } as const;

function clusterOf(c: {
  id: string;
  name: string;
  labels: unknown;
  siteType: FleetCluster["siteType"];
  adminNetworkPolicy: boolean | null;
  reportedNamespaces: unknown;
  appInventory: unknown;
}): FleetClusterInfo {
  return {
    id: c.id,
    name: c.name,
    labels: (c.labels ?? {}) as Record<string, string>,
    siteType: c.siteType,
    adminNetworkPolicy: c.adminNetworkPolicy,
    ...namespacesOf(c),
  };
}

/** The whole tenant: for validation, the preview and working out which clusters a change touches. */
export async function loadFleet(tx: Tx, tenantId: string): Promise<Fleet> {
  const [clusters, slices, policies] = await Promise.all([
    tx.cluster.findMany({ where: { tenantId }, select: CLUSTER_SELECT, orderBy: { name: "asc" } }),
    tx.slice.findMany({
      where: { tenantId },
      select: {
        id: true,
        name: true,
        defaultPosture: true,
        members: { select: { clusterId: true, subnet: true } },
        links: { select: { serverClusterId: true, clientClusterId: true } },
      },
      orderBy: { name: "asc" },
    }),
    tx.policy.findMany({ where: { tenantId }, select: POLICY_ROW, orderBy: [{ priority: "asc" }, { name: "asc" }] }),
  ]);
  const byId = new Map(clusters.map((c) => [c.id, clusterOf(c)]));
  return {
    clusters: [...byId.values()],
    slices: slices.map((s) => ({
      id: s.id,
      name: s.name,
      posture: s.defaultPosture,
      members: s.members.flatMap((m) => (byId.has(m.clusterId) ? [{ ...byId.get(m.clusterId)!, subnet: m.subnet }] : [])),
      links: s.links.map((l) => ({ a: l.serverClusterId, b: l.clientClusterId })),
    })),
    policies: policies.map(ruleOf),
  };
}

/**
 * One cluster's compile input: itself, its slices with their members (its peers), and
 * the tenant's policies. Reads grow with this cluster's peers, not with the fleet.
 */
export async function loadClusterPolicyContext(tx: Tx, tenantId: string, clusterId: string) {
  return (await loadClusterPolicyContexts(tx, tenantId, [clusterId])).get(clusterId) ?? null;
}

/**
 * The compile input of several clusters in three queries (a rollout over the fleet):
 * the same as loadClusterPolicyContext for each, by cluster id; absent clusters are left out.
 */
export async function loadClusterPolicyContexts(tx: Tx, tenantId: string, clusterIds: readonly string[]) {
  const ids = [...clusterIds];
  const [selves, memberships, policies] = await Promise.all([
    tx.cluster.findMany({ where: { tenantId, id: { in: ids } }, select: CLUSTER_SELECT }),
    tx.sliceMember.findMany({
      where: { tenantId, clusterId: { in: ids } },
      select: {
        clusterId: true,
        slice: {
          select: {
            id: true,
            name: true,
            members: { select: { subnet: true, cluster: { select: { id: true, name: true, labels: true, siteType: true, adminNetworkPolicy: true } } } },
          },
        },
      },
    }),
    tx.policy.findMany({ where: { tenantId, enabled: true }, select: POLICY_ROW }),
  ]);
  const rules = policies.map(ruleOf);
  const slicesOf = new Map<string, SliceMembers[]>();
  for (const { clusterId, slice } of memberships) {
    const members = slice.members.map((m) => ({
      id: m.cluster.id,
      name: m.cluster.name,
      labels: (m.cluster.labels ?? {}) as Record<string, string>,
      siteType: m.cluster.siteType,
      adminNetworkPolicy: m.cluster.adminNetworkPolicy,
      subnet: m.subnet,
    }));
    slicesOf.set(clusterId, [...(slicesOf.get(clusterId) ?? []), { id: slice.id, name: slice.name, members }]);
  }
  return new Map(
    selves.map((c) => {
      const info = clusterOf(c);
      const slices = (slicesOf.get(c.id) ?? []).sort((a, b) => (a.name < b.name ? -1 : 1));
      return [c.id, { self: info, namespaces: info.namespaces, slices, policies: rules }] as const;
    }),
  );
}
