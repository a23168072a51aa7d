// Inputs of the gateways domain. Not strict: tenant procedures' input also carries `tenant`.
import { z } from "zod";

export const LINK_HEALTH = ["UP", "DEGRADED", "DOWN", "UNKNOWN", "FLAPPING"] as const;
export const ZLinkHealth = z.enum(LINK_HEALTH);
export const ZSiteType = z.enum(["EDGE", "CLOUD", "ONPREM"]);
// What the status filters take: a status, or NOT_UP for every link that needs a look
// (the overview's "not converged" links to it).
export const ZLinkStatusFilter = z
  .enum([...LINK_HEALTH, "NOT_UP"])
  .describe("A link status, or NOT_UP for every link that is not UP (links not evaluated yet included)");
export type LinkStatusFilter = z.infer<typeof ZLinkStatusFilter>;

export const ZListGatewaysInput = z.object({
  sliceId: z.string().min(1).max(64).optional(),
  linkId: z.string().min(1).max(64).optional().describe("One link"),
  siteType: ZSiteType.optional().describe("Links with at least one end of this site type"),
  status: ZLinkStatusFilter.optional(),
  cursor: z.string().min(1).max(64).optional().describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListGatewaysInput = z.infer<typeof ZListGatewaysInput>;

const ZInstant = z.iso.datetime({ offset: true }).describe("ISO 8601 date-time, e.g. 2026-12-06T12:00:00Z");
export const ZSeriesInput = z.object({
  id: z.string().min(1).max(64),
  from: ZInstant,
  to: ZInstant.optional().describe("Defaults to now"),
  step: z.coerce
    .number()
    .int()
    .min(60)
    .max(31 * 86_400)
    .optional()
    .describe("Seconds per point; default: about 720 points over the range"),
});
export type SeriesInput = z.infer<typeof ZSeriesInput>;

export const ZListSitesInput = z.object({
  siteType: ZSiteType.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type ListSitesInput = z.infer<typeof ZListSitesInput>;

export const ZMapLinksInput = z.object({
  sliceId: z.string().min(1).max(64).optional(),
  siteType: ZSiteType.optional().describe("Links with at least one end of this site type"),
  status: ZLinkStatusFilter.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(5_000),
});
export type MapLinksInput = z.infer<typeof ZMapLinksInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZEnd = z.object({
  clusterId: z.string(),
  clusterName: z.string(),
  siteType: ZSiteType,
  role: z.enum(["server", "client"]),
  status: z.string().describe("What this end reports"),
  reportedAt: z.date().nullable(),
});
export const ZGateway = z.object({
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
export const ZPoint = z.object({
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
export const ZSite = z.object({
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
export const ZGatewayPage = z.object({ items: z.array(ZGateway), nextCursor: z.string().nullable() });
export const ZLinkSeries = z.object({
  linkId: z.string(),
  table: z.string(),
  stepSeconds: z.number(),
  from: z.string(),
  to: z.string(),
  points: z.array(ZPoint),
});
export const ZSiteList = z.object({ items: z.array(ZSite), total: z.number() });
export const ZMapLinkList = z.object({
  items: z.array(z.object({ id: z.string(), a: z.string(), b: z.string(), status: z.enum(LINK_HEALTH) })),
  total: z.number(),
});
export const ZSliceConvergenceLine = z.object({ message: z.string(), linksUp: z.number(), links: z.number() });
