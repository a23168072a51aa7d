import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { getLinkSeries } from "./get-series";
import { listGateways } from "./list-gateways";
import { listSites } from "./list-sites";
import { mapLinks } from "./map-links";
import {
  ZGatewayPage,
  ZLinkSeries,
  ZListGatewaysInput,
  ZListSitesInput,
  ZMapLinkList,
  ZMapLinksInput,
  ZSeriesInput,
  ZSiteList,
  ZSliceConvergenceLine,
} from "./schema";
import { sliceConvergence } from "./slice-convergence";

export const gatewaysRouter = router({
  list: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/gateways",
        tags: ["gateways"],
        summary: "Gateway links with status, since when, RTT, loss, throughput and both ends; filter by slice, site type and status",
      },
    })
    .input(ZListGatewaysInput)
    .output(ZGatewayPage)
    .query(({ ctx, input }) => listGateways(ctx.tenant, input)),
  series: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/gateways/{id}/series",
        tags: ["gateways"],
        summary: "A link's history per end over a range, from the coarsest rollup table that answers it",
      },
    })
    .input(ZSeriesInput)
    .output(ZLinkSeries)
    .query(({ ctx, input }) => getLinkSeries(ctx.tenant, input)),
  sites: tenantProcedure
    .meta({
      openapi: { method: "GET", path: "/sites", tags: ["gateways"], summary: "Sites (clusters) with health score and the factors behind it, worst first" },
    })
    .input(ZListSitesInput)
    .output(ZSiteList)
    .query(({ ctx, input }) => listSites(ctx.tenant, input)),
  mapLinks: tenantProcedure
    .input(ZMapLinksInput)
    .output(ZMapLinkList)
    .query(({ ctx, input }) => mapLinks(ctx.tenant, input)),
  sliceConvergence: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/slices/{id}/convergence",
        tags: ["gateways"],
        summary: 'A slice\'s tunnels in one line, naming the first failing link: "3/4 links up — a ↔ b DOWN since 12:04 (handshake timeout)"',
      },
    })
    .input(z.object({ id: z.string().min(1).max(64) }))
    .output(ZSliceConvergenceLine)
    .query(({ ctx, input }) => sliceConvergence(ctx.tenant, input.id)),
});
