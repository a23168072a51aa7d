import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../versions";
import { deleteCluster } from "./delete-cluster";
import { getCluster } from "./get-cluster";
import { getClusterRevision } from "./get-cluster-revision";
import { listClusterEvents } from "./list-cluster-events";
import { listClusters } from "./list-clusters";
import { ZAvailability, ZClusterEventsInput, ZListClustersInput, ZUpdateClusterInput } from "./schema";
import { updateCluster } from "./update-cluster";

const ZClusterItem = z.object({
  id: z.string(),
  name: z.string(),
  uid: z.string(),
  siteType: ZSiteType,
  availability: ZAvailability,
  lastSeenAt: z.date().nullable(),
  labels: z.record(z.string(), z.string()),
  desiredRevision: z.number(),
  appliedRevision: z.number(),
  converged: z.boolean(),
  provider: z.string().nullable(),
  region: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  kubernetesVersion: z.string().nullable(),
  cni: z.string().nullable(),
  nodeCount: z.number(),
  agentVersion: z.string().nullable(),
  behindNat: z.boolean(),
  leaseDurationSeconds: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const ZEvent = z.object({ id: z.string(), type: z.string(), severity: z.enum(["INFO", "WARNING", "CRITICAL"]), message: z.string(), data: z.unknown(), createdAt: z.date() });
const ZGateway = z.object({ linkId: z.string(), status: z.string(), reason: z.string().optional(), endpointReachable: z.boolean().optional(), rttMs: z.number().optional(), lossPct: z.number().optional(), rxBps: z.number().optional(), txBps: z.number().optional(), lastHandshakeAt: z.string().optional() });
const ZClusterDetail = ZClusterItem.extend({
  /** Of the user-editable fields (name, labels, site facts): bumped by every change of them; the REST ETag. */
  version: z.number(),
  /** As the agent reported them; empty when it found none (unknown). */
  podCidrs: z.array(z.string()),
  serviceCidrs: z.array(z.string()),
  /** Set by hand; used instead of the reported ranges for slice overlap checks while not empty. */
  manualPodCidrs: z.array(z.string()),
  manualServiceCidrs: z.array(z.string()),
  gatewayEndpoints: z.array(z.string()),
  components: z.array(z.object({ name: z.string(), status: z.string(), message: z.string().optional() })),
  heartbeat: z.object({ seq: z.number(), lastSeenAt: z.date().nullable(), reportedAppliedRevision: z.number().nullable(), gateways: z.array(ZGateway) }),
  latestRevision: z.object({ revision: z.number(), hash: z.string(), createdAt: z.date() }).nullable(),
  events: z.array(ZEvent),
  acks: z.array(z.object({ id: z.string(), revision: z.number(), hash: z.string(), status: z.enum(["APPLIED", "FAILED"]), message: z.string().nullable(), createdAt: z.date() })),
  /** The slices it is a member of. */
  slices: z.array(z.object({ id: z.string(), name: z.string(), topology: z.string(), gatewayType: z.string() })),
  /** Its gateway links: the slice and the cluster at the other end of each (peerName null if that cluster is gone). */
  links: z.array(z.object({ id: z.string(), sliceId: z.string(), sliceName: z.string(), peerId: z.string(), peerName: z.string().nullable(), role: z.enum(["SERVER", "CLIENT"]) })),
});
const ZId = z.object({ id: z.string().max(64) });

export const clustersRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/clusters", tags: ["clusters"], summary: "Clusters, one page at a time; search by name, filter by site type, availability and labels (key=value,…)" } })
    .input(ZListClustersInput)
    .output(z.object({ items: z.array(ZClusterItem), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => {
      const { tenant: _t, ...filters } = input;
      return listClusters(ctx.tenant, filters);
    }),
  get: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/clusters/{id}", tags: ["clusters"], summary: "A cluster: inventory, lease and live heartbeat state, desired vs applied revision, recent events and acks", ...versionedRead } })
    .input(ZId)
    .output(ZClusterDetail)
    .query(({ ctx, input }) => getCluster(ctx.tenant, input.id)),
  update: tenantProcedure
    .meta({ openapi: { method: "PATCH", path: "/clusters/{id}", tags: ["clusters"], summary: "Rename a cluster or set its labels, site type, region and coordinates (OPERATOR+)", ...versionedWrite } })
    .input(ZId.extend(ZUpdateClusterInput.shape).extend({ expectedVersion: ZExpectedVersion }))
    .output(ZClusterDetail)
    .mutation(({ ctx, input }) => {
      const { id, tenant: _t, expectedVersion, ...patch } = input;
      return updateCluster(ctx.tenant, id, patch, conditionOf(ctx, expectedVersion));
    }),
  delete: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/clusters/{id}", tags: ["clusters"], summary: "Delete a cluster; its agent's credential stops working at its next call (ADMIN+)", ...versionedDelete } })
    .input(ZId.extend({ expectedVersion: ZExpectedVersion }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteCluster(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
  events: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/clusters/{id}/events", tags: ["clusters"], summary: "A cluster's events, newest first" } })
    .input(ZId.extend(ZClusterEventsInput.shape))
    .output(z.object({ items: z.array(ZEvent), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listClusterEvents(ctx.tenant, input.id, { limit: input.limit, cursor: input.cursor })),
  revision: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/clusters/{id}/revisions/{revision}", tags: ["clusters"], summary: "One config revision of a cluster with its bundle; `latest` for the desired one" } })
    .input(ZId.extend({ revision: z.string().regex(/^(latest|[1-9]\d{0,8})$/, "must be a revision number or `latest`") }))
    .output(z.object({ revision: z.number(), hash: z.string(), bundle: z.record(z.string(), z.unknown()), createdAt: z.date() }))
    .query(async ({ ctx, input }) => {
      const row = await getClusterRevision(ctx.tenant, input.id, input.revision === "latest" ? "latest" : Number(input.revision));
      return { ...row, bundle: row.bundle as Record<string, unknown> };
    }),
});
