import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { ZLabels } from "../clusters/labels";

export const MAX_TTL_SECONDS = 30 * 24 * 3600;

export const ZCreateRegistrationTokenInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    ttlSeconds: z.number().int("must be a whole number of seconds").min(60, "must be at least 60 seconds").max(MAX_TTL_SECONDS, "must be at most 30 days (2592000 seconds)").default(86_400),
    /** How many clusters it may enrol; default 1. For no limit, set `unlimited: true` (and no maxUses). */
    maxUses: z.number().int("must be a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").optional(),
    unlimited: z.boolean().default(false),
    labels: ZLabels.default({}),
    siteType: ZSiteType.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.unlimited && v.maxUses !== undefined) ctx.addIssue({ code: "custom", path: ["maxUses"], message: "leave it out when unlimited is true" });
  });
export type CreateRegistrationTokenInput = z.input<typeof ZCreateRegistrationTokenInput>;
