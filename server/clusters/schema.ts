import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { parseCidr } from "../slices/ipam/cidr";
import { ZLabels } from "./labels";

export const ZAvailability = z.enum(["PENDING", "AVAILABLE", "UNKNOWN"]);

export const ZListClustersInput = z.object({
  /** Part of the name, any case. */
  search: z.string().trim().max(100, "must be at most 100 characters").optional(),
  siteType: ZSiteType.optional(),
  availability: ZAvailability.optional(),
  /** Label selector: `key=value[,key=value…]`, every pair must match. */
  labels: z.string().max(1000, "must be at most 1000 characters").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
});
export type ListClustersInput = z.input<typeof ZListClustersInput>;

export const ZClusterName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, alphanumeric at both ends)");

// A pod or service range set by hand: what the agent would have reported.
const ZManualCidr = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, "must be a CIDR such as 10.244.0.0/16")
  .refine((s) => s.includes(":") || parseCidr(s) !== null, "must be a valid IPv4 CIDR such as 10.244.0.0/16");
const ZManualCidrs = z.array(ZManualCidr).max(16, "must be at most 16 ranges");

export const ZUpdateClusterInput = z
  .object({
    name: ZClusterName.optional(),
    labels: ZLabels.optional(),
    siteType: ZSiteType.optional(),
    region: z.string().trim().min(1, "must not be empty (use null to clear)").max(64, "must be at most 64 characters").nullable().optional(),
    latitude: z.number().min(-90, "must be between -90 and 90").max(90, "must be between -90 and 90").nullable().optional(),
    longitude: z.number().min(-180, "must be between -180 and 180").max(180, "must be between -180 and 180").nullable().optional(),
    /** Used instead of the reported pod ranges for slice overlap checks while not empty; [] goes back to the reported ones. */
    manualPodCidrs: ZManualCidrs.optional(),
    manualServiceCidrs: ZManualCidrs.optional(),
  })
  .strict();
export type UpdateClusterInput = z.input<typeof ZUpdateClusterInput>;

export const ZClusterEventsInput = z.object({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
});
export type ClusterEventsInput = z.input<typeof ZClusterEventsInput>;
