import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { getLinkSeries } from "./get-series";
import { listGateways } from "./list-gateways";
import { listSites } from "./list-sites";
import { mapLinks } from "./map-links";
import { LINK_HEALTH, ZListGatewaysInput, ZListSitesInput, ZMapLinksInput, ZSeriesInput, ZSiteType } from "./schema";
import { sliceConvergence } from "./slice-convergence";

const ZEnd = z.object({ clusterId: z.string(), clusterName: z.string(), siteType: ZSiteType, role: z.enum(["server", "client"]), status: z.string().describe("What this end reports"), reportedAt: z.date().nullable() });
const ZGateway = z.object({
  id: z.string(),
  sliceId: z.string(),
  sliceName: z.string(),
  status: z.enum(LINK_HEALTH),
  reason: z.string().nullable().describe('Why, e.g. "loss 4 % ≥ 2 %" or "handshake timeout"'),
  rttMs: z.number().nullable(),
  lossPct: z.number().nullable(),
  rxBps: z.number().nullable(),
  txBps: z.number().nullable(),
  ends: z.array(ZEnd),
  since: z.date().describe("When the current status began"),
  updatedAt: z.date(),
});
const ZPoint = z.object({
  t: z.string(),
  clusterId: z.string().describe("The end that measured it"),
  samples: z.number(),
  rttAvg: z.number().nullable(),
  rttP50: z.number().nullable(),
  rttP95: z.number().nullable(),
  rttMax: z.number().nullable(),
  lossAvg: z.number().nullable(),
  lossMax: z.number().nullable(),
  rxBps: z.number().nullable(),
  txBps: z.number().nullable(),
  secondsUp: z.number(),
  secondsDegraded: z.number(),
  secondsDown: z.number(),
  secondsUnknown: z.number(),
});
const ZSite = z.object({
  id: z.string(),
  name: z.string(),
  siteType: ZSiteType,
  region: z.string().nullable(),
  provider: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  availability: z.string(),
  lastSeenAt: z.date().nullable(),
  score: z.number().nullable().describe("0-100; null until the agent has reported"),
  factors: z.array(z.object({ penalty: z.number(), text: z.string() })),
  summary: z.string().describe('e.g. "62: 2 of 5 links degraded (loss 4 %), component gateway DEGRADED"'),
  links: z.object({ total: z.number(), up: z.number(), degraded: z.number(), down: z.number(), unknown: z.number(), flapping: z.number() }),
});

export const gatewaysRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/gateways", tags: ["gateways"], summary: "Gateway links with status, since when, RTT, loss, throughput and both ends; filter by slice, site type and status" } })
    .input(ZListGatewaysInput)
    .output(z.object({ items: z.array(ZGateway), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listGateways(ctx.tenant, input)),
  series: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/gateways/{id}/series", tags: ["gateways"], summary: "A link's history per end over a range, from the coarsest rollup table that answers it" } })
    .input(ZSeriesInput)
    .output(z.object({ linkId: z.string(), table: z.string(), stepSeconds: z.number(), from: z.string(), to: z.string(), points: z.array(ZPoint) }))
    .query(({ ctx, input }) => getLinkSeries(ctx.tenant, input)),
  sites: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/sites", tags: ["gateways"], summary: "Sites (clusters) with health score and the factors behind it, worst first" } })
    .input(ZListSitesInput)
    .output(z.object({ items: z.array(ZSite), total: z.number() }))
    .query(({ ctx, input }) => listSites(ctx.tenant, input)),
  mapLinks: tenantProcedure
    .input(ZMapLinksInput)
    .output(z.object({ items: z.array(z.object({ id: z.string(), a: z.string(), b: z.string(), status: z.enum(LINK_HEALTH) })), total: z.number() }))
    .query(({ ctx, input }) => mapLinks(ctx.tenant, input)),
  sliceConvergence: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/slices/{id}/convergence", tags: ["gateways"], summary: 'A slice\'s tunnels in one line, naming the first failing link: "3/4 links up — a ↔ b DOWN since 12:04 (handshake timeout)"' } })
    .input(z.object({ id: z.string().min(1).max(64) }))
    .output(z.object({ message: z.string(), linksUp: z.number(), links: z.number() }))
    .query(({ ctx, input }) => sliceConvergence(ctx.tenant, input.id)),
});
