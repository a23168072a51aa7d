// Inputs of the gateways domain. Not strict: tenant procedures' input also carries `tenant`.
import { z } from "zod";

export const LINK_HEALTH = ["UP", "DEGRADED", "DOWN", "UNKNOWN", "FLAPPING"] as const;
export const ZLinkHealth = z.enum(LINK_HEALTH);
export const ZSiteType = z.enum(["EDGE", "CLOUD", "ONPREM"]);

export const ZListGatewaysInput = z
  .object({
    sliceId: z.string().min(1).max(64).optional(),
    linkId: z.string().min(1).max(64).optional().describe("One link"),
    siteType: ZSiteType.optional().describe("Links with at least one end of this site type"),
    status: ZLinkHealth.optional(),
    cursor: z.string().min(1).max(64).optional().describe("nextCursor of the previous page"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });
export type ListGatewaysInput = z.infer<typeof ZListGatewaysInput>;

const ZInstant = z.iso.datetime({ offset: true }).describe("ISO 8601 date-time, e.g. 2026-12-06T12:00:00Z");
export const ZSeriesInput = z
  .object({
    id: z.string().min(1).max(64),
    from: ZInstant,
    to: ZInstant.optional().describe("Defaults to now"),
    step: z.coerce.number().int().min(60).max(31 * 86_400).optional().describe("Seconds per point; default: about 720 points over the range"),
  });
export type SeriesInput = z.infer<typeof ZSeriesInput>;

export const ZListSitesInput = z
  .object({
    siteType: ZSiteType.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  });
export type ListSitesInput = z.infer<typeof ZListSitesInput>;

export const ZMapLinksInput = z
  .object({
    sliceId: z.string().min(1).max(64).optional(),
    siteType: ZSiteType.optional().describe("Links with at least one end of this site type"),
    status: ZLinkHealth.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(5_000),
  });
export type MapLinksInput = z.infer<typeof ZMapLinksInput>;
