// Outputs of the overview domain: allow-lists of what each procedure returns (z.object drops every other key).
import { z } from "zod";

export const ZSite = z.object({
  siteType: z.enum(["EDGE", "CLOUD", "ONPREM"]),
  total: z.number(),
  AVAILABLE: z.number(),
  UNKNOWN: z.number(),
  PENDING: z.number(),
});
export const ZFleetOverview = z.object({
  clusters: z.object({ total: z.number(), available: z.number(), unknown: z.number(), pending: z.number(), converged: z.number(), sites: z.array(ZSite) }),
  slices: z.object({
    total: z.number(),
    converged: z.number(),
    linksUp: z.number(),
    links: z.number(),
    notConverged: z.array(
      z.object({ id: z.string(), name: z.string(), clusters: z.number(), clustersApplied: z.number(), links: z.number(), linksUp: z.number() }),
    ),
  }),
  warnings: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      severity: z.enum(["INFO", "WARNING", "CRITICAL"]),
      message: z.string(),
      clusterId: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
});
