import { z } from "zod";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../platform/versions";
import { deleteCluster } from "./delete-cluster";
import { getCluster } from "./get-cluster";
import { getClusterRevision } from "./get-cluster-revision";
import { listClusterEvents } from "./list-cluster-events";
import { listClusters } from "./list-clusters";
import { ZClusterDetail, ZClusterEventPage, ZClusterEventsInput, ZClusterPage, ZClusterRevision, ZListClustersInput, ZOk, ZUpdateClusterInput } from "./schema";
import { updateCluster } from "./update-cluster";

const ZId = z.object({ id: z.string().max(64) });

export const clustersRouter = router({
  list: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/clusters",
        tags: ["clusters"],
        summary: "Clusters, one page at a time; search by name, filter by site type, availability and labels (key=value,…)",
      },
    })
    .input(ZListClustersInput)
    .output(ZClusterPage)
    .query(({ ctx, input }) => {
      const { tenant: _t, ...filters } = input;
      return listClusters(ctx.tenant, filters);
    }),
  get: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/clusters/{id}",
        tags: ["clusters"],
        summary: "A cluster: inventory, lease and live heartbeat state, desired vs applied revision, recent events and acks",
        ...versionedRead,
      },
    })
    .input(ZId)
    .output(ZClusterDetail)
    .query(({ ctx, input }) => getCluster(ctx.tenant, input.id)),
  update: tenantProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/clusters/{id}",
        tags: ["clusters"],
        summary: "Rename a cluster or set its labels, site type, region and coordinates (OPERATOR+)",
        ...versionedWrite,
      },
    })
    .input(ZId.extend(ZUpdateClusterInput.shape).extend({ expectedVersion: ZExpectedVersion }))
    .output(ZClusterDetail)
    .mutation(({ ctx, input }) => {
      const { id, tenant: _t, expectedVersion, ...patch } = input;
      return updateCluster(ctx.tenant, id, patch, conditionOf(ctx, expectedVersion));
    }),
  delete: tenantProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/clusters/{id}",
        tags: ["clusters"],
        summary: "Delete a cluster; its agent's credential stops working at its next call (ADMIN+)",
        ...versionedDelete,
      },
    })
    .input(ZId.extend({ expectedVersion: ZExpectedVersion }))
    .output(ZOk)
    .mutation(({ ctx, input }) => deleteCluster(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
  events: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/clusters/{id}/events", tags: ["clusters"], summary: "A cluster's events, newest first" } })
    .input(ZId.extend(ZClusterEventsInput.shape))
    .output(ZClusterEventPage)
    .query(({ ctx, input }) => listClusterEvents(ctx.tenant, input.id, { limit: input.limit, cursor: input.cursor })),
  revision: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/clusters/{id}/revisions/{revision}",
        tags: ["clusters"],
        summary: "One config revision of a cluster with its bundle; `latest` for the desired one",
      },
    })
    .input(ZId.extend({ revision: z.string().regex(/^(latest|[1-9]\d{0,8})$/, "must be a revision number or `latest`") }))
    .output(ZClusterRevision)
    .query(async ({ ctx, input }) => {
      const row = await getClusterRevision(ctx.tenant, input.id, input.revision === "latest" ? "latest" : Number(input.revision));
      return { ...row, bundle: row.bundle as Record<string, unknown> };
    }),
});
