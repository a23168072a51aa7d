// The desired state of one cluster: every slice it belongs to, its share, its links
// with peer endpoints and tunnel addresses, and the manifests to apply. The work is
// proportional to this cluster's slices and peers, never to the whole fleet.
import type { Tx } from "../platform/db/client";
import type { Prisma } from "../platform/db/generated/client";
import { AppError } from "../platform/errors";
import { effectiveQos, QOS_PROFILE_VALUES } from "./effective-qos";
import { compilePolicies } from "../netpol/compile";
import { loadClusterPolicyContexts } from "../netpol/fleet";
import { compileIsolationManifests } from "./manifests";
import { ZGatewayService, ZNamespaceIsolation, type ServiceExport } from "./stored-slice";

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

function appliesHere(clusters: string[], name: string) {
  return clusters.includes("*") || clusters.includes(name);
}

export async function compileClusterBundle(tx: Tx, tenantId: string, clusterId: string) {
  const bundle = (await compileClusterBundles(tx, tenantId, [clusterId])).get(clusterId);
  if (!bundle) throw new AppError("NOT_FOUND", "cluster not found");
  return bundle;
}

/**
 * Several clusters' bundles (a rollout over the fleet) in a fixed number of queries
 * rather than a handful per cluster; each is exactly what compileClusterBundle gives.
 * Absent clusters are left out of the map.
 */
export async function compileClusterBundles(tx: Tx, tenantId: string, clusterIds: readonly string[]) {
  const ids = [...new Set(clusterIds)];
  const clusters = await tx.cluster.findMany({
    where: { id: { in: ids }, tenantId },
    select: { id: true, name: true, reportedNamespaces: true, tenant: { select: { slug: true } } },
  });
  const present = clusters.map((c) => c.id);
  const memberships = await tx.sliceMember.findMany({
    where: { tenantId, clusterId: { in: present } },
    select: MEMBERSHIP_SELECT,
  });
  const links = await tx.gatewayLink.findMany({
    where: { tenantId, OR: [{ serverClusterId: { in: present } }, { clientClusterId: { in: present } }] },
    select: { id: true, sliceId: true, serverClusterId: true, clientClusterId: true, serverTunnelIp: true, clientTunnelIp: true, tunnelIndex: true },
  });
  const peerIds = [...new Set(links.flatMap((l) => [l.serverClusterId, l.clientClusterId]))];
  const peers = new Map(
    (await tx.cluster.findMany({ where: { tenantId, id: { in: peerIds } }, select: { id: true, name: true, gatewayEndpoints: true } })).map((p) => [p.id, p]),
  );
  const policyCtx = await loadClusterPolicyContexts(tx, tenantId, present);
  const group = <T>(rows: T[], keys: (r: T) => string[]) => {
    const out = new Map<string, T[]>();
    for (const r of rows) for (const k of new Set(keys(r))) out.set(k, [...(out.get(k) ?? []), r]);
    return out;
  };
  const membershipsOf = group(memberships, (m) => [m.clusterId]);
  const linksOf = group(links, (l) => [l.serverClusterId, l.clientClusterId]);
  return new Map(
    clusters.map((c) => [c.id, assembleBundle(c, membershipsOf.get(c.id) ?? [], linksOf.get(c.id) ?? [], peers, policyCtx.get(c.id) ?? null)] as const),
  );
}

const MEMBERSHIP_SELECT = {
  clusterId: true,
  index: true,
  subnet: true,
  slice: {
    select: {
      id: true,
      name: true,
      subnet: true,
      gatewayType: true,
      gatewayService: true,
      qos: true,
      qosProfile: { select: QOS_PROFILE_VALUES },
      namespaceIsolation: true,
      serviceExports: true,
      defaultPosture: true,
    },
  },
} as const;
type BundleCluster = { id: string; name: string; reportedNamespaces: unknown; tenant: { slug: string } };
type Membership = Prisma.SliceMemberGetPayload<{ select: typeof MEMBERSHIP_SELECT }>;
type Link = { id: string; sliceId: string; serverClusterId: string; clientClusterId: string; serverTunnelIp: string; clientTunnelIp: string };
type Peer = { id: string; name: string; gatewayEndpoints: string[] };

function assembleBundle(cluster: BundleCluster, memberships: Membership[], links: Link[], peers: Map<string, Peer>, policyCtx: PolicyContext | null) {
  const clusterId = cluster.id;
  const self = { id: cluster.id, name: cluster.name, gatewayEndpoints: [] as string[] };

  const slices = memberships
    .map(({ slice, index, subnet }) => {
      const isolation = ZNamespaceIsolation.parse(slice.namespaceIsolation);
      const service = ZGatewayService.parse(slice.gatewayService);
      const exports = (slice.serviceExports as ServiceExport[]).filter((e) => e.sourceCluster === cluster.name);
      return {
        id: slice.id,
        name: slice.name,
        sliceSubnet: slice.subnet,
        index,
        subnet,
        gatewayType: slice.gatewayType,
        gatewayService: {
          type: service.overrides[cluster.name]?.type ?? service.type,
          protocol: service.overrides[cluster.name]?.protocol ?? service.protocol,
        },
        // The values, not the profile's name: renaming a profile changes no data plane.
        qos: effectiveQos(slice),
        namespaceIsolation: {
          enabled: isolation.enabled,
          applicationNamespaces: isolation.applicationNamespaces
            .filter((n) => appliesHere(n.clusters, cluster.name))
            .map((n) => n.namespace)
            .sort(),
          allowedNamespaces: isolation.allowedNamespaces
            .filter((n) => appliesHere(n.clusters, cluster.name))
            .map((n) => n.namespace)
            .sort(),
        },
        serviceExports: exports,
        links: links
          .filter((l) => l.sliceId === slice.id)
          .map((l) => {
            const server = l.serverClusterId === clusterId;
            const peer = peers.get(server ? l.clientClusterId : l.serverClusterId) ?? self;
            const serverEndpoint = (server ? self : peer).gatewayEndpoints[0] ?? null;
            return {
              id: l.id,
              role: server ? "server" : "client",
              // The client dials the server's endpoint; the server only listens.
              peer: { clusterId: peer.id, name: peer.name, endpoint: server ? null : serverEndpoint },
              localTunnelIp: server ? l.serverTunnelIp : l.clientTunnelIp,
              remoteTunnelIp: server ? l.clientTunnelIp : l.serverTunnelIp,
            };
          })
          .sort(byKey((l) => l.id)),
        _isolation: isolation,
        _posture: slice.defaultPosture,
      };
    })
    .sort(byKey((s) => s.name));

  // Only objects whose namespace exists in the cluster, when its agent said which do: a
  // policy for an absent namespace cannot be applied, and sending it would only have the
  // agent skip it. Unknown (an older agent, or listing refused): everything is sent.
  const present = Array.isArray(cluster.reportedNamespaces) ? new Set(cluster.reportedNamespaces as string[]) : null;
  // Connectivity policies beside the slice isolation: one bundle, one revision.
  const policyObjects = policyCtx ? compilePolicies(policyCtx).objects : [];
  const manifests = [
    ...slices.flatMap((s) =>
      compileIsolationManifests({ name: s.name, subnet: s.sliceSubnet, namespaceIsolation: s._isolation, defaultPosture: s._posture }, cluster.name),
    ),
    ...policyObjects,
  ]
    // Cluster-scoped objects (AdminNetworkPolicy) have no namespace and always go.
    .filter((m) => !present || m.metadata.namespace === undefined || present.has(m.metadata.namespace))
    .sort(byKey((m) => `${m.metadata.namespace ?? ""}/${m.metadata.name}/${m.kind}`));

  return {
    cluster: { id: cluster.id, name: cluster.name, tenant: cluster.tenant.slug },
    slices: slices.map(({ _isolation, _posture, ...s }) => (_posture === "DENY_BY_DEFAULT" ? { ...s, defaultPosture: "deny-by-default" } : s)),
    manifests,
  };
}

export type ClusterBundle = ReturnType<typeof assembleBundle>;
type PolicyContext = Parameters<typeof compilePolicies>[0];
